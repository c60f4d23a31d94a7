using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Tessera.Indexing.Indexes;
using Tessera.Indexing.Rasters;

namespace Tessera.Indexing.Mosaics;

/// <summary>
/// A viewport's <c>metadata.json</c>: every field of the seed plan's schema (<c>viewport_id</c> …
/// <c>faiss_index_type</c>) and what a reader of the other two files needs. Property names are written in
/// snake_case (<see cref="NumTotalPixels"/> is <c>num_total_pixels</c>).
/// </summary>
/// <remarks>
/// <para>Index labels: the vector of pixel (row, col) is labelled <c>row * MosaicWidth + col</c>, which is
/// also its row in <c>all_embeddings.npy</c>; its centre is at
/// <c>GeoTransform.PixelCenterToWorld(row, col)</c>.</para>
/// <para>Stored values to vectors: <c>vector = all_embeddings[i] * AllEmbeddingsScale</c> (as float32), then,
/// when <see cref="Normalized"/>, divided by <c>max(‖vector‖, 1e-12)</c>. Nodata pixels are in
/// <c>all_embeddings.npy</c> (as stored) but not in the index.</para>
/// </remarks>
public sealed record MosaicMetadata
{
    /// <summary>The version of this layout.</summary>
    public const int CurrentFormatVersion = 1;

    /// <summary>The options <see cref="ReadAsync"/>, <see cref="Read"/> and <see cref="Write"/> use: snake_case names, string enums, indented.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = CreateJsonOptions();

    /// <summary>The layout version (<see cref="CurrentFormatVersion"/>).</summary>
    public int FormatVersion { get; init; } = CurrentFormatVersion;

    /// <summary>The viewport's id (its folder name).</summary>
    public required string ViewportId { get; init; }

    /// <summary>The mosaic file as given to the build.</summary>
    public required string MosaicFile { get; init; }

    /// <summary>Height × width.</summary>
    public long NumTotalPixels { get; init; }

    /// <summary>Vectors in the index: sampled pixels that are not nodata.</summary>
    public long NumSampledPixels { get; init; }

    /// <summary>One pixel in every N×N was sampled.</summary>
    public int SamplingFactor { get; init; }

    /// <summary>The first sampled row and column.</summary>
    public int SamplingOffset { get; init; }

    /// <summary>The embedding dimension (band count).</summary>
    public int EmbeddingDim { get; init; }

    /// <summary>The ground size of a pixel in metres (approximate for geographic CRSs); null when the CRS is unknown.</summary>
    public double? PixelSizeMeters { get; init; }

    /// <summary>Rows.</summary>
    public int MosaicHeight { get; init; }

    /// <summary>Columns.</summary>
    public int MosaicWidth { get; init; }

    /// <summary>GDAL's six geotransform coefficients.</summary>
    public required IReadOnlyList<double> Geotransform { get; init; }

    /// <summary>The CRS, <c>EPSG:nnnn</c> where known, else WKT; null when the mosaic declares none.</summary>
    public string? Crs { get; init; }

    /// <summary>The CRS as WKT, when declared.</summary>
    public string? CrsWkt { get; init; }

    /// <summary>The FAISS factory string the index was built with (after <c>IVF</c> lowering and <c>IDMap2</c> wrapping).</summary>
    public required string FaissIndexType { get; init; }

    /// <summary>The factory string that was asked for.</summary>
    public required string FaissIndexTypeRequested { get; init; }

    /// <summary>The index metric (<c>l2</c> or <c>inner_product</c>).</summary>
    public VectorMetric Metric { get; init; }

    /// <summary>Whether indexed vectors were L2-normalised.</summary>
    public bool Normalized { get; init; }

    /// <summary>The dtype of <c>all_embeddings.npy</c> (<c>float32</c> or <c>uint8</c>).</summary>
    public MosaicEmbeddingsType AllEmbeddingsDtype { get; init; }

    /// <summary>Stored value × this = vector value (1, or 1/255 for uint8).</summary>
    public double AllEmbeddingsScale { get; init; } = 1.0;

    /// <summary>The shape of <c>all_embeddings.npy</c>: (H×W, bands).</summary>
    public required IReadOnlyList<long> AllEmbeddingsShape { get; init; }

    /// <summary>The mosaic's band type (<c>byte</c>, <c>int8</c> or <c>float32</c>).</summary>
    public RasterDataType SourceDataType { get; init; }

    /// <summary>The mosaic's declared nodata value, if any.</summary>
    public double? SourceNodata { get; init; }

    /// <summary>The training-set size asked for.</summary>
    public int TrainSize { get; init; }

    /// <summary>The training-set size used (fewer when there were fewer samples; 0 when the index needs no training).</summary>
    public int TrainSizeUsed { get; init; }

    /// <summary>The seed of the training-subset draw.</summary>
    public int TrainSeed { get; init; }

    /// <summary>The IVF list count used, or null for an index without IVF.</summary>
    public int? Nlist { get; init; }

    /// <summary>
    /// The IVF list count asked for, or null for an index without IVF. Larger than <see cref="Nlist"/> when
    /// the training set was too small for it (FAISS wants 39 points per list) and the count was lowered.
    /// </summary>
    public int? NlistRequested { get; init; }

    /// <summary>Whether the IVF list count was lowered from the one asked for (<see cref="NlistRequested"/> &gt; <see cref="Nlist"/>).</summary>
    [JsonIgnore]
    public bool NlistLowered => NlistRequested is { } requested && Nlist is { } used && used < requested;

    /// <summary>Pixels of the whole mosaic that are nodata (declared nodata in every band, or all bands 0).</summary>
    public long NodataPixels { get; init; }

    /// <summary>Sampled pixels skipped because they are nodata.</summary>
    public long NodataSampledPixels { get; init; }

    /// <summary>Vectors in the saved index (equals <see cref="NumSampledPixels"/>).</summary>
    public long IndexNtotal { get; init; }

    /// <summary>Sizes in bytes of <c>embeddings.index</c> and <c>all_embeddings.npy</c>, by file name.</summary>
    public required IReadOnlyDictionary<string, long> FileSizes { get; init; }

    /// <summary>
    /// Lower-case hex SHA-256 of each file in <see cref="FileSizes"/>, by file name (<c>file_sha256</c>);
    /// <see langword="null"/> in viewports built before checksums were recorded, which are checked by size only.
    /// </summary>
    public IReadOnlyDictionary<string, string>? FileSha256 { get; init; }

    /// <summary>What the viewport was built from.</summary>
    public required MosaicSourceFingerprint SourceFingerprint { get; init; }

    /// <summary>The <see cref="IVectorIndexBuilder"/> that built the index.</summary>
    public string? IndexBuilder { get; init; }

    /// <summary>Tessera.Indexing's version.</summary>
    public required string LibraryVersion { get; init; }

    /// <summary>When the build finished (UTC).</summary>
    public DateTime CreatedUtc { get; init; }

    /// <summary>Reads a <c>metadata.json</c>.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The metadata.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="JsonException">The file is not valid metadata.</exception>
    public static MosaicMetadata Read(string path)
    {
        using var stream = File.OpenRead(path);
        return JsonSerializer.Deserialize<MosaicMetadata>(stream, JsonOptions)
            ?? throw new JsonException($"'{path}' holds null, not viewport metadata.");
    }

    /// <summary>Reads a <c>metadata.json</c> asynchronously.</summary>
    /// <param name="path">The file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The metadata.</returns>
    public static async Task<MosaicMetadata> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        await using var stream = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync<MosaicMetadata>(stream, JsonOptions, cancellationToken).ConfigureAwait(false)
            ?? throw new JsonException($"'{path}' holds null, not viewport metadata.");
    }

    /// <summary>Writes this metadata as JSON to <paramref name="path"/>, flushed to disk.</summary>
    /// <param name="path">The file (replaced if present).</param>
    public void Write(string path)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        JsonSerializer.Serialize(stream, this, JsonOptions);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>This metadata as JSON text.</summary>
    /// <returns>Indented JSON.</returns>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    private static JsonSerializerOptions CreateJsonOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            WriteIndented = true,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,

            // A file for people and programs, not HTML: keep quotes in WKT and '+' in versions readable.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
