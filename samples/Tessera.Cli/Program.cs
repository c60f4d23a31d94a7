using System.CommandLine;
using Tessera.Cli;
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

// Whatever a command does not handle itself becomes one line and an exit code (CliErrors), never a stack trace.
try
{
    return await root.Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (Exception e)
{
    return CliErrors.Report(e);
}
