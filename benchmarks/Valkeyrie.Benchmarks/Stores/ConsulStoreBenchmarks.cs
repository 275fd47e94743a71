using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Valkeyrie.Benchmarks.Infrastructure;

namespace Valkeyrie.Benchmarks.Stores;

/// <summary>
/// Consul: <see cref="HttpClient"/> on the KV API, reading the same JSON (value and ModifyIndex) Valkeyrie reads,
/// and CAS through <c>/v1/txn</c>, which returns the new index in the same round trip.
/// </summary>
public class ConsulStoreBenchmarks : StoreBenchmarks
{
    private HttpClient _http = null!;
    private ulong _casIndex;

    /// <inheritdoc />
    protected override Backend Backend => Backend.Consul;

    /// <inheritdoc />
    protected override async Task RawSetupAsync(string connectionString, bool seed)
    {
        var endpoint = new Uri(connectionString);
        _http = new HttpClient(new SocketsHttpHandler()) { BaseAddress = new Uri($"http://{endpoint.Host}:{endpoint.Port}/") };
        await PutAsync("raw/get");
        for (var i = 0; seed && i < ListedKeys; i++)
        {
            await PutAsync(ListedKey("raw/list", i));
        }

        await PutAsync("raw/cas");
        using var document = await GetJsonAsync("v1/kv/raw/cas");
        _casIndex = document.RootElement[0].GetProperty("ModifyIndex").GetUInt64();
    }

    /// <inheritdoc />
    protected override Task RawCleanupAsync()
    {
        _http.Dispose();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    protected override async Task<int> RawGetAsync()
    {
        using var document = await GetJsonAsync("v1/kv/raw/get");
        var entry = document.RootElement[0];
        _ = entry.GetProperty("ModifyIndex").GetUInt64();
        return entry.GetProperty("Value").GetBytesFromBase64().Length;
    }

    /// <inheritdoc />
    protected override Task RawPutAsync() => PutAsync("raw/put");

    /// <inheritdoc />
    protected override async Task<int> RawListAsync()
    {
        using var document = await GetJsonAsync("v1/kv/raw/list/?recurse=true");
        var count = 0;
        foreach (var entry in document.RootElement.EnumerateArray())
        {
            count += entry.GetProperty("Value").GetBytesFromBase64().Length > 0 ? 1 : 0;
        }

        return count;
    }

    /// <inheritdoc />
    protected override async Task RawCasAsync(byte[] value)
    {
        var body = string.Create(CultureInfo.InvariantCulture,
            $$$"""[{"KV":{"Verb":"cas","Key":"raw/cas","Value":"{{{Convert.ToBase64String(value)}}}","Index":{{{_casIndex}}}}}]""");
        using var response = await _http.PutAsync("v1/txn", new StringContent(body, Encoding.UTF8, "application/json"));
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Raw Consul CAS failed: {(int)response.StatusCode}.");
        }

        using var document = await response.Content.ReadFromJsonAsync<JsonDocument>();
        _casIndex = document!.RootElement.GetProperty("Results")[0].GetProperty("KV").GetProperty("ModifyIndex").GetUInt64();
    }

    private async Task PutAsync(string key)
    {
        using var response = await _http.PutAsync("v1/kv/" + key, new ByteArrayContent(Value));
        response.EnsureSuccessStatusCode();
    }

    private async Task<JsonDocument> GetJsonAsync(string path)
    {
        using var response = await _http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync();
        return await JsonDocument.ParseAsync(stream);
    }
}
