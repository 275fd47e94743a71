using System.IO.Compression;
using System.Reflection.Metadata;
using System.Text.Json;
using System.Xml.Linq;

namespace Valkeyrie.Packaging.Tests;

/// <summary>
/// Every package carries what a Microsoft.Extensions.* package does: README, icon, repository and project URL, tags,
/// copyright, release notes, license, one shared version, .snupkg symbols whose PDBs have SourceLink; the generator
/// ships in Valkeyrie.Runtime and flows through every package that depends on it.
/// </summary>
public sealed class PackageContentTests(PackagesFixture packages) : IClassFixture<PackagesFixture>
{
    private static readonly Guid SourceLinkId = new("CC110556-A091-4D38-9FEC-25AB9A351A6A");

    private static readonly string[] AllIds =
    [
        "Valkeyrie.Runtime", "Valkeyrie.Configuration", "Valkeyrie.Consul", "Valkeyrie.Etcd", "Valkeyrie.ZooKeeper",
        "Valkeyrie.Redis", "Valkeyrie.DynamoDB", "Valkeyrie.LiteDB", "Valkeyrie.Cli",
    ];

    public static TheoryData<string> Ids => new(AllIds);

    [Fact]
    public void Every_package_is_packed_at_one_version()
    {
        var found = packages.Packages;
        Assert.Equal(AllIds.Order(StringComparer.Ordinal), found.Keys.Order(StringComparer.Ordinal));
        Assert.Single(found.Values.Select(path => Metadata(path)).Select(m => m.Element(m.Name.Namespace + "version")!.Value).Distinct());
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void The_package_has_a_readme_icon_urls_tags_and_notes(string id)
    {
        var path = packages.Packages[id];
        var metadata = Metadata(path);
        string Value(string name) => metadata.Element(metadata.Name.Namespace + name)?.Value ?? string.Empty;

        Assert.Equal("README.md", Value("readme"));
        Assert.Equal("icon.png", Value("icon"));
        Assert.StartsWith("https://", Value("projectUrl"), StringComparison.Ordinal);
        Assert.StartsWith("https://", metadata.Element(metadata.Name.Namespace + "repository")?.Attribute("url")?.Value ?? string.Empty, StringComparison.Ordinal);
        Assert.NotEmpty(metadata.Element(metadata.Name.Namespace + "repository")?.Attribute("commit")?.Value ?? string.Empty);
        Assert.Contains("configuration", Value("tags"), StringComparison.Ordinal);
        Assert.NotEmpty(Value("copyright"));
        Assert.NotEmpty(Value("releaseNotes"));
        Assert.NotEmpty(Value("description"));
        Assert.Equal("Apache-2.0", Value("license"));

        using var zip = ZipFile.OpenRead(path);
        Assert.NotNull(zip.GetEntry("icon.png"));
        using var reader = new StreamReader(zip.GetEntry("README.md")!.Open());
        var readme = reader.ReadToEnd();
        Assert.StartsWith($"# {id}", readme, StringComparison.Ordinal);
        Assert.Contains("```", readme, StringComparison.Ordinal);
        Assert.Contains("/docs/", readme, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void The_symbols_package_has_a_pdb_with_sourcelink_for_every_assembly(string id)
    {
        var path = packages.Packages[id];
        var symbols = Path.ChangeExtension(path, ".snupkg");
        Assert.True(File.Exists(symbols), $"{Path.GetFileName(symbols)} is missing next to {Path.GetFileName(path)}.");

        using var package = ZipFile.OpenRead(path);
        using var symbolPackage = ZipFile.OpenRead(symbols);
        var assemblies = package.Entries.Where(e => e.FullName.EndsWith($"/{(id == "Valkeyrie.Cli" ? "valkeyrie" : id)}.dll", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(assemblies);
        foreach (var assembly in assemblies)
        {
            var pdbPath = Path.ChangeExtension(assembly.FullName, ".pdb");
            var pdb = symbolPackage.GetEntry(pdbPath);
            Assert.True(pdb is not null, $"{Path.GetFileName(symbols)} has no {pdbPath}.");
            var documents = SourceLinkDocuments(pdb!);
            Assert.NotEmpty(documents);
            Assert.All(documents, url => Assert.StartsWith("https://raw.githubusercontent.com/", url, StringComparison.Ordinal));
        }
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void The_generator_reaches_every_app_that_references_a_package(string id)
    {
        var path = packages.Packages[id];
        if (id == "Valkeyrie.Runtime")
        {
            using var zip = ZipFile.OpenRead(path);
            Assert.NotNull(zip.GetEntry("analyzers/dotnet/cs/Valkeyrie.Generators.dll"));
            return;
        }

        var metadata = Metadata(path);
        var runtime = metadata.Descendants(metadata.Name.Namespace + "dependency").Where(d => (string?)d.Attribute("id") == "Valkeyrie.Runtime").ToList();
        Assert.All(runtime, dependency => Assert.DoesNotContain("Analyzers", (string?)dependency.Attribute("exclude") ?? string.Empty, StringComparison.Ordinal));
    }

    private static XElement Metadata(string nupkg)
    {
        using var zip = ZipFile.OpenRead(nupkg);
        var nuspec = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using var stream = nuspec.Open();
        var root = XDocument.Load(stream).Root!;
        return root.Element(root.Name.Namespace + "metadata")!;
    }

    private static List<string> SourceLinkDocuments(ZipArchiveEntry pdb)
    {
        using var buffer = new MemoryStream();
        using (var stream = pdb.Open())
        {
            stream.CopyTo(buffer);
        }

        buffer.Position = 0;
        using var provider = MetadataReaderProvider.FromPortablePdbStream(buffer);
        var reader = provider.GetMetadataReader();
        foreach (var handle in reader.CustomDebugInformation)
        {
            var information = reader.GetCustomDebugInformation(handle);
            if (reader.GetGuid(information.Kind) == SourceLinkId)
            {
                using var json = JsonDocument.Parse(reader.GetBlobBytes(information.Value));
                return [.. json.RootElement.GetProperty("documents").EnumerateObject().Select(p => p.Value.GetString()!)];
            }
        }

        return [];
    }
}
