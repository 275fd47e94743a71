using System.Text.Json.Serialization;

namespace Valkeyrie.Consul;

/// <summary>One KV entry as Consul's HTTP API returns it (values are base64 in JSON, decoded by the serializer).</summary>
internal sealed class ConsulKvEntry
{
    public string Key { get; set; } = string.Empty;

    public byte[]? Value { get; set; }

    public string? Session { get; set; }

    public ulong ModifyIndex { get; set; }
}

/// <summary>One operation of a <c>/v1/txn</c> request.</summary>
internal sealed class ConsulTxnOperation
{
    [JsonPropertyName("KV")]
    public required ConsulTxnKvOperation Kv { get; init; }
}

/// <summary>The KV part of a transaction operation.</summary>
internal sealed class ConsulTxnKvOperation
{
    public required string Verb { get; init; }

    public required string Key { get; init; }

    public byte[]? Value { get; init; }

    public ulong? Index { get; init; }

    public string? Session { get; init; }

    public string? Namespace { get; init; }
}

/// <summary>The answer of <c>/v1/txn</c>: results when applied, errors (with the failing operation) when rolled back.</summary>
internal sealed class ConsulTxnResponse
{
    public List<ConsulTxnResult>? Results { get; set; }

    public List<ConsulTxnError>? Errors { get; set; }
}

/// <summary>The result of one applied transaction operation.</summary>
internal sealed class ConsulTxnResult
{
    [JsonPropertyName("KV")]
    public ConsulKvEntry? Kv { get; set; }
}

/// <summary>Why a transaction was rolled back.</summary>
internal sealed class ConsulTxnError
{
    public int OpIndex { get; set; }

    public string? What { get; set; }
}

/// <summary>The body of <c>/v1/session/create</c>.</summary>
internal sealed class ConsulSessionRequest
{
    public required string Name { get; init; }

    [JsonPropertyName("TTL")]
    public required string Ttl { get; init; }

    public required string Behavior { get; init; }

    public required string LockDelay { get; init; }
}

/// <summary>The answer of <c>/v1/session/create</c>.</summary>
internal sealed class ConsulSessionResponse
{
    [JsonPropertyName("ID")]
    public string? Id { get; set; }
}

/// <summary>Source-generated (AOT-safe) serialization of the Consul API types.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(List<ConsulKvEntry>))]
[JsonSerializable(typeof(List<ConsulTxnOperation>))]
[JsonSerializable(typeof(ConsulTxnResponse))]
[JsonSerializable(typeof(ConsulSessionRequest))]
[JsonSerializable(typeof(ConsulSessionResponse))]
internal sealed partial class ConsulJsonContext : JsonSerializerContext;
