using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace Valkeyrie.Testing.Servers;

/// <summary>
/// Just enough of the Redis protocol (RESP2) to probe a server and let tests poke at it without a
/// client library: one connection per call, commands sent as arrays of bulk strings.
/// </summary>
public static class RespClient
{
    /// <summary>
    /// Connects, runs <paramref name="commands"/> in order and returns the last reply: simple and bulk
    /// strings as text, integers as digits, nil as null, arrays as their elements joined by newlines.
    /// </summary>
    /// <exception cref="InvalidOperationException">A command got an error reply; the message holds it.</exception>
    public static Task<string?> ExecuteAsync(string host, int port, IReadOnlyList<IReadOnlyList<string>> commands, CancellationToken cancellationToken = default) =>
        ExecuteAsync(host, port, commands, tls: null, cancellationToken);

    /// <inheritdoc cref="ExecuteAsync(string, int, IReadOnlyList{IReadOnlyList{string}}, CancellationToken)"/>
    /// <param name="host">The server's address.</param>
    /// <param name="port">The server's port.</param>
    /// <param name="commands">The commands to run.</param>
    /// <param name="tls">TLS client settings, or null for plaintext.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public static async Task<string?> ExecuteAsync(
        string host, int port, IReadOnlyList<IReadOnlyList<string>> commands, SslClientAuthenticationOptions? tls, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commands);
        using var client = new TcpClient();
        await client.ConnectAsync(host, port, cancellationToken);
        Stream stream = client.GetStream();
        if (tls is not null)
        {
            var secure = new SslStream(stream, leaveInnerStreamOpen: false);
            await secure.AuthenticateAsClientAsync(tls, cancellationToken);
            stream = secure;
        }

        await using var owned = stream;
        await using var buffered = new BufferedStream(stream);
        string? reply = null;
        foreach (var command in commands)
        {
            await buffered.WriteAsync(Encode(command), cancellationToken);
            await buffered.FlushAsync(cancellationToken);
            reply = await ReadReplyAsync(buffered, cancellationToken);
        }

        return reply;
    }

    private static byte[] Encode(IReadOnlyList<string> command)
    {
        var builder = new StringBuilder();
        builder.Append(CultureInfo.InvariantCulture, $"*{command.Count}\r\n");
        foreach (var argument in command)
        {
            builder.Append(CultureInfo.InvariantCulture, $"${Encoding.UTF8.GetByteCount(argument)}\r\n{argument}\r\n");
        }

        return Encoding.UTF8.GetBytes(builder.ToString());
    }

    private static async Task<string?> ReadReplyAsync(Stream stream, CancellationToken cancellationToken)
    {
        var line = await ReadLineAsync(stream, cancellationToken);
        var payload = line[1..];
        switch (line[0])
        {
            case '+':
                return payload;
            case ':':
                return payload;
            case '-':
                throw new InvalidOperationException($"Redis replied with an error: {payload}");
            case '$':
                var length = int.Parse(payload, CultureInfo.InvariantCulture);
                if (length < 0)
                {
                    return null;
                }

                var bytes = new byte[length + 2]; // value and its CRLF
                await stream.ReadExactlyAsync(bytes, cancellationToken);
                return Encoding.UTF8.GetString(bytes, 0, length);
            case '*':
                var count = int.Parse(payload, CultureInfo.InvariantCulture);
                if (count < 0)
                {
                    return null;
                }

                var items = new List<string?>(count);
                for (var i = 0; i < count; i++)
                {
                    items.Add(await ReadReplyAsync(stream, cancellationToken));
                }

                return string.Join('\n', items);
            default:
                throw new InvalidOperationException($"Unexpected Redis reply line: {line}");
        }
    }

    private static async Task<string> ReadLineAsync(Stream stream, CancellationToken cancellationToken)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (true)
        {
            if (await stream.ReadAsync(one, cancellationToken) == 0)
            {
                throw new EndOfStreamException("Redis closed the connection mid-reply.");
            }

            if (one[0] == (byte)'\n' && bytes.Count > 0 && bytes[^1] == (byte)'\r')
            {
                return Encoding.UTF8.GetString(bytes.ToArray(), 0, bytes.Count - 1);
            }

            bytes.Add(one[0]);
        }
    }
}
