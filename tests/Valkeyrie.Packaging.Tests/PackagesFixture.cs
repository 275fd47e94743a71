using System.Diagnostics;
using System.IO.Compression;

namespace Valkeyrie.Packaging.Tests;

/// <summary>
/// The packed packages: the feed ./test.sh made with scripts/pack.sh (VALKEYRIE_PACKAGES), else a fresh pack of the
/// solution into a temporary folder (that builds it, so it takes a few minutes on a small machine).
/// </summary>
public sealed class PackagesFixture : IDisposable
{
    private readonly string? _temporary;

    public PackagesFixture()
    {
        var given = Environment.GetEnvironmentVariable("VALKEYRIE_PACKAGES");
        if (!string.IsNullOrEmpty(given) && Directory.EnumerateFiles(given, "*.nupkg").Any())
        {
            Folder = given;
        }
        else
        {
            _temporary = Directory.CreateTempSubdirectory("valkeyrie-packages-").FullName;
            Folder = _temporary;
            Pack(_temporary);
        }
    }

    public static string RepositoryRoot
    {
        get
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "Valkeyrie.sln")))
                {
                    return directory.FullName;
                }
            }

            throw new InvalidOperationException($"Valkeyrie.sln not found above {AppContext.BaseDirectory}.");
        }
    }

    public string Folder { get; }

    /// <summary>Every .nupkg, by package id.</summary>
    public IReadOnlyDictionary<string, string> Packages => Directory.EnumerateFiles(Folder, "*.nupkg")
        .ToDictionary(path => IdOf(path), StringComparer.Ordinal);

    public static string IdOf(string nupkg)
    {
        using var zip = ZipFile.OpenRead(nupkg);
        var nuspec = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal) && !e.FullName.Contains('/', StringComparison.Ordinal));
        return Path.GetFileNameWithoutExtension(nuspec.Name);
    }

    public void Dispose()
    {
        if (_temporary is not null)
        {
            Directory.Delete(_temporary, recursive: true);
        }
    }

    private static void Pack(string output)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepositoryRoot };
        start.ArgumentList.Add(Path.Combine(RepositoryRoot, "scripts", "pack.sh"));
        start.ArgumentList.Add(output);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(15)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("scripts/pack.sh did not finish within 15 minutes.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/pack.sh failed ({process.ExitCode}):\n{stdout.Result}\n{stderr.Result}");
        }
    }
}
