using Valkeyrie.Cli;

return await CliApp.RunAsync(args, CliConsole.FromProcess());
