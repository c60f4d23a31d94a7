using System.CommandLine;
using Tessera.Cli.Commands;

var root = new RootCommand("tessera: FAISS similarity-search indexes for embedding mosaics and image collections.");
root.Subcommands.Add(FaissSmokeCommand.Create());
root.Subcommands.Add(IndexMosaicCommand.Create());
root.Subcommands.Add(IndexRegionCommand.Create());
root.Subcommands.Add(DemoCommand.Create());
root.Subcommands.Add(SearchCommand.Create());
root.Subcommands.Add(BuildImagesCommand.Create());
root.Subcommands.Add(CheckAlignmentCommand.Create());
root.Subcommands.Add(SearchImagesCommand.Create());
root.Subcommands.Add(MergePartitionsCommand.Create());
root.Subcommands.Add(BenchMosaicCommand.Create());
root.Subcommands.Add(DoctorCommand.Create());

return await root.Parse(args).InvokeAsync();
