using System.Net.Http.Headers;

namespace Valkeyrie.Testing.Servers;

/// <summary>Raw DynamoDB API calls for launcher probes and tests, shaped the way the AWS SDK sends them.</summary>
internal static class DynamoDbHttp
{
    // The local servers check that a request is signed but not the signature, so any well-formed header passes.
    private const string AnySignature =
        "AWS4-HMAC-SHA256 Credential=valkeyrie/20240101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=0";

    /// <summary>Calls <paramref name="operation"/> (e.g. <c>ListTables</c>) with a JSON body; the caller disposes the response.</summary>
    public static async Task<HttpResponseMessage> SendAsync(Uri serviceUrl, string operation, string jsonBody, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(operation);
        using var request = new HttpRequestMessage(HttpMethod.Post, serviceUrl)
        {
            Content = new StringContent(jsonBody, MediaTypeHeaderValue.Parse("application/x-amz-json-1.0")),
        };
        request.Headers.Add("X-Amz-Target", $"DynamoDB_20120810.{operation}");
        request.Headers.Add("X-Amz-Date", "20240101T000000Z");
        request.Headers.TryAddWithoutValidation("Authorization", AnySignature);
        return await LoopbackHttp.Client.SendAsync(request, cancellationToken);
    }
}
