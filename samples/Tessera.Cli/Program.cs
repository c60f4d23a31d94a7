using System.CommandLine;
using Tessera.Cli.Commands;

var root = new RootCommand("tessera: FAISS similarity-search indexes for embedding mosaics and image collections.");
root.Subcommands.Add(FaissSmokeCommand.Create());
root.Subcommands.Add(SearchCommand.Create());

return await root.Parse(args).InvokeAsync();
