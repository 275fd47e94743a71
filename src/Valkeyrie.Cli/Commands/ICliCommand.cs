using System.CommandLine;

namespace Valkeyrie.Cli.Commands;

/// <summary>One sub-command of the tool.</summary>
internal interface ICliCommand
{
    Command Build(GlobalOptions globals, CliConsole console);
}
