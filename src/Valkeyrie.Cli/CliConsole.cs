using Spectre.Console;

namespace Valkeyrie.Cli;

/// <summary>The process streams, injectable so tests run the real commands in process.</summary>
internal sealed class CliConsole(Stream input, Stream output, TextWriter error, bool interactive)
{
    public Stream Input { get; } = input;

    public Stream Output { get; } = output;

    public TextWriter Error { get; } = error;

    /// <summary>Whether a person is at a terminal (confirmations, colours, progress bars).</summary>
    public bool Interactive { get; } = interactive;

    public static CliConsole FromProcess() => new(
        Console.OpenStandardInput(),
        Console.OpenStandardOutput(),
        Console.Error,
        !Console.IsInputRedirected && !Console.IsOutputRedirected);

    /// <summary>A Spectre console over <see cref="Output"/>: ANSI and colours only for a person at a terminal.</summary>
    public IAnsiConsole CreateAnsi() => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(new StreamWriter(Output, leaveOpen: true) { AutoFlush = true }),
        Ansi = Interactive ? AnsiSupport.Detect : AnsiSupport.No,
        ColorSystem = Interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        Interactive = Interactive ? InteractionSupport.Yes : InteractionSupport.No,
    });

    public async Task WriteLineAsync(string text, CancellationToken cancellationToken = default)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text + "\n");
        await Output.WriteAsync(bytes, cancellationToken);
        await Output.FlushAsync(cancellationToken);
    }
}
