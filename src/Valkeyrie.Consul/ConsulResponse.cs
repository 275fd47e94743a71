using System.Net;

namespace Valkeyrie.Consul;

/// <summary>A Consul answer the caller interprets: its status, body and <c>X-Consul-Index</c>.</summary>
/// <param name="Status">The HTTP status (only 200, 404 and 409 reach callers; others become exceptions).</param>
/// <param name="Body">The raw body.</param>
/// <param name="Index">The <c>X-Consul-Index</c> header, 0 when absent.</param>
/// <param name="Endpoint">The agent that answered, for messages.</param>
internal sealed record ConsulResponse(HttpStatusCode Status, byte[] Body, ulong Index, string Endpoint)
{
    public bool IsSuccess => Status == HttpStatusCode.OK;
}
