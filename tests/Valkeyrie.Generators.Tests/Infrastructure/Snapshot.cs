using System.Runtime.CompilerServices;

namespace Valkeyrie.Generators.Tests.Infrastructure;

/// <summary>
/// Compares text with <c>Snapshots/{name}.verified.cs</c> next to the test source. On a difference it writes
/// <c>{name}.received.cs</c> and fails; with <c>VALKEYRIE_ACCEPT_SNAPSHOTS=1</c> it rewrites the verified file instead.
/// </summary>
internal static class Snapshot
{
    public const string AcceptVariable = "VALKEYRIE_ACCEPT_SNAPSHOTS";

    public static void Match(string actual, string name, [CallerFilePath] string callerFile = "")
    {
        var directory = Path.Combine(Path.GetDirectoryName(callerFile)!, "Snapshots");
        var verified = Path.Combine(directory, name + ".verified.cs");
        var received = Path.Combine(directory, name + ".received.cs");
        actual = actual.ReplaceLineEndings("\n");
        if (Environment.GetEnvironmentVariable(AcceptVariable) == "1")
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(verified, actual);
            File.Delete(received);
            return;
        }

        var expected = File.Exists(verified) ? File.ReadAllText(verified).ReplaceLineEndings("\n") : null;
        if (expected == actual)
        {
            File.Delete(received);
            return;
        }

        File.WriteAllText(received, actual);
        var message = expected is null
            ? $"No snapshot {verified}; review {received} and rerun with {AcceptVariable}=1 to accept it."
            : $"Generated code differs from {verified} at line {FirstDifference(expected, actual)}; review {received} and rerun with {AcceptVariable}=1 to accept it.";
        Assert.Fail(message);
    }

    private static int FirstDifference(string expected, string actual)
    {
        var left = expected.Split('\n');
        var right = actual.Split('\n');
        var line = 0;
        while (line < left.Length && line < right.Length && left[line] == right[line])
        {
            line++;
        }

        return line + 1;
    }
}
