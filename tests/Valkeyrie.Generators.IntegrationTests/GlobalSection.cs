using Valkeyrie.Sections;

[KvSection("it/global")]
public partial class GlobalSection
{
    public int Value { get; set; }
}
