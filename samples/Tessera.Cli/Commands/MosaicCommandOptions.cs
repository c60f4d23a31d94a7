using System.CommandLine;
using Tessera.Indexing.Indexes;
using Tessera.Indexing.Mosaics;

namespace Tessera.Cli.Commands;

/// <summary>
/// The build flags shared by <c>index-mosaic</c>, <c>bench-mosaic</c> and <c>demo</c>: each binds to one
/// setting of <see cref="MosaicIndexOptions"/>, which holds the defaults and the checks (the indexer
/// validates, naming the setting).
/// </summary>
internal sealed class MosaicCommandOptions
{
    private static readonly MosaicIndexOptions Defaults = new();

    public MosaicCommandOptions(string defaultIndex = MosaicIndexOptions.DefaultIndexFactory)
    {
        Factor = new Option<int>("--factor") { Description = "Index one pixel in every N×N.", DefaultValueFactory = _ => Defaults.SamplingFactor };
        Offset = new Option<int>("--offset") { Description = "The first sampled row and column (0 ≤ offset < factor).", DefaultValueFactory = _ => Defaults.SamplingOffset };
        Index = new Option<string>("--index") { Description = "FAISS factory string, for example IVF1024,PQ64 or IVF1024,PQ64np (no polysemous training, much faster).", DefaultValueFactory = _ => defaultIndex };
        Metric = new Option<string>("--metric") { Description = "l2 or ip (inner product).", DefaultValueFactory = _ => MetricName(Defaults.Metric) };
        Metric.AcceptOnlyFromAmong("l2", "ip");
        TrainSize = new Option<int>("--train-size") { Description = "The most samples used to train the index.", DefaultValueFactory = _ => Defaults.TrainSize };
        Seed = new Option<int>("--seed") { Description = "Seed of the training-subset draw.", DefaultValueFactory = _ => Defaults.TrainSeed };
        AllEmbeddings = new Option<string>("--all-embeddings") { Description = "all_embeddings.npy dtype: float32 (values in [0,1] for Byte mosaics) or uint8 (Byte mosaics only, 4x smaller).", DefaultValueFactory = _ => EmbeddingsTypeName(Defaults.AllEmbeddingsType) };
        AllEmbeddings.AcceptOnlyFromAmong("float32", "uint8");
        Normalize = new Option<bool>("--normalize") { Description = "L2-normalise the indexed vectors (cosine similarity with --metric ip)." };
        Dimension = new Option<int?>("--dim") { Description = "The embedding dimension the mosaic must have (its band count)." };
        Force = new Option<bool>("--force") { Description = "Rebuild even when a valid cached viewport exists." };
        JsonOutput = new Option<bool>("--json") { Description = "Print one JSON summary on stdout (logs go to stderr)." };
        VerboseOutput = new Option<bool>("--verbose") { Description = "Log every stage to stderr." };
    }

    public Option<int> Factor { get; }

    public Option<int> Offset { get; }

    public Option<string> Index { get; }

    public Option<string> Metric { get; }

    public Option<int> TrainSize { get; }

    public Option<int> Seed { get; }

    public Option<string> AllEmbeddings { get; }

    public Option<bool> Normalize { get; }

    public Option<int?> Dimension { get; }

    public Option<bool> Force { get; }

    public Option<bool> JsonOutput { get; }

    public Option<bool> VerboseOutput { get; }

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Factor, Offset, Index, Metric, TrainSize, Seed, AllEmbeddings, Normalize, Dimension, Force, JsonOutput, VerboseOutput })
        {
            command.Options.Add(option);
        }
    }

    public bool Json(ParseResult parse) => parse.GetValue(JsonOutput);

    public bool Verbose(ParseResult parse) => parse.GetValue(VerboseOutput);

    /// <summary>Binds the parsed flags to the library's settings (unchecked here: the indexer validates them).</summary>
    public MosaicIndexOptions ToMosaicOptions(ParseResult parse, string viewportId, string outputRoot) => Defaults with
    {
        ViewportId = viewportId,
        OutputRoot = outputRoot,
        SamplingFactor = parse.GetValue(Factor),
        SamplingOffset = parse.GetValue(Offset),
        IndexFactory = parse.GetValue(Index)!,
        Metric = parse.GetValue(Metric) == MetricName(VectorMetric.InnerProduct) ? VectorMetric.InnerProduct : VectorMetric.L2,
        TrainSize = parse.GetValue(TrainSize),
        TrainSeed = parse.GetValue(Seed),
        AllEmbeddingsType = parse.GetValue(AllEmbeddings) == EmbeddingsTypeName(MosaicEmbeddingsType.UInt8) ? MosaicEmbeddingsType.UInt8 : MosaicEmbeddingsType.Float32,
        Normalize = parse.GetValue(Normalize),
        ExpectedDimension = parse.GetValue(Dimension),
        Force = parse.GetValue(Force),
    };

    private static string MetricName(VectorMetric metric) => metric == VectorMetric.InnerProduct ? "ip" : "l2";

    private static string EmbeddingsTypeName(MosaicEmbeddingsType type) => type == MosaicEmbeddingsType.UInt8 ? "uint8" : "float32";
}
