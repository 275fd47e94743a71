namespace Valkeyrie.Testing.Servers;

/// <summary>
/// Finds the server binaries the launchers run: under the repository's git-ignored <c>.tools/</c>
/// folder (where <c>./test.sh</c> installs what Debian bookworm lacks) or on <c>PATH</c>.
/// </summary>
public static class ToolLocator
{
    private const string SolutionFile = "Valkeyrie.sln";
    private static readonly Lazy<string?> s_repositoryRoot = new(FindRepositoryRoot);

    /// <summary>
    /// The folder holding Valkeyrie.sln, found by walking up from the test assembly's folder;
    /// null when the tests run outside a checkout.
    /// </summary>
    public static string? RepositoryRoot => s_repositoryRoot.Value;

    /// <summary>The repository's <c>.tools/</c> folder (it may not exist yet); null outside a checkout.</summary>
    public static string? ToolsDirectory => RepositoryRoot is { } root ? Path.Combine(root, ".tools") : null;

    /// <summary>
    /// Returns the full path of a tool: the first existing file among <paramref name="toolsRelativePaths"/>
    /// (relative to <see cref="ToolsDirectory"/>), else <paramref name="name"/> on PATH.
    /// </summary>
    /// <param name="name">The executable's file name, looked up on PATH.</param>
    /// <param name="installHint">How to install it, e.g. "run ./test.sh, which installs it, or `apt-get install redis-server`".</param>
    /// <param name="toolsRelativePaths">Paths under <c>.tools/</c> to try first.</param>
    /// <exception cref="FileNotFoundException">The tool is nowhere; the message names the install step.</exception>
    public static string Find(string name, string installHint, params string[] toolsRelativePaths)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(toolsRelativePaths);
        return TryFind(name, toolsRelativePaths)
            ?? throw new FileNotFoundException(
                $"{name} not found (looked under {ToolsDirectory ?? "<no repository checkout>"} and on PATH): {installHint}.",
                name);
    }

    /// <summary>Like <see cref="Find"/> but returns null when the tool is missing.</summary>
    public static string? TryFind(string name, params string[] toolsRelativePaths)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(toolsRelativePaths);
        if (ToolsDirectory is { } tools)
        {
            foreach (var relative in toolsRelativePaths)
            {
                var candidate = Path.GetFullPath(Path.Combine(tools, relative));
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return FindOnPath(name);
    }

    /// <summary>Returns the full path of a file installed under <see cref="ToolsDirectory"/> (not looked for on PATH).</summary>
    /// <exception cref="FileNotFoundException">The file is missing; the message names the install step.</exception>
    public static string FindInTools(string toolsRelativePath, string installHint)
    {
        ArgumentException.ThrowIfNullOrEmpty(toolsRelativePath);
        var tools = ToolsDirectory
            ?? throw new FileNotFoundException(
                $"{toolsRelativePath} not found: the tests run outside a checkout holding Valkeyrie.sln, so there is no .tools folder; {installHint}.",
                toolsRelativePath);
        var candidate = Path.GetFullPath(Path.Combine(tools, toolsRelativePath));
        return File.Exists(candidate)
            ? candidate
            : throw new FileNotFoundException($"{candidate} not found: {installHint}.", candidate);
    }

    /// <summary>The full path of an executable named <paramref name="name"/> on PATH, or null.</summary>
    public static string? FindOnPath(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static string? FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, SolutionFile)))
            {
                return directory.FullName;
            }
        }

        return null;
    }
}
