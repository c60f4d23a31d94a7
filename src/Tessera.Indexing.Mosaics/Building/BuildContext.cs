using Microsoft.Extensions.Logging;
using Tessera.Indexing.Indexes;
using Tessera.Indexing.Rasters;

namespace Tessera.Indexing.Mosaics.Building;

/// <summary>What every stage of one viewport build shares: the mosaic, the options, where it writes, and how it reports.</summary>
/// <param name="Source">The mosaic (validated).</param>
/// <param name="Options">What to build (validated).</param>
/// <param name="Fingerprint">The mosaic's fingerprint, recorded for the cache.</param>
/// <param name="Staging">The locked staging folder the files are written into.</param>
/// <param name="IndexBuilder">Trains and fills the index.</param>
/// <param name="Reporter">Progress.</param>
/// <param name="Logger">Stage logs.</param>
/// <param name="CancellationToken">Cancels the build.</param>
internal sealed record BuildContext(
    IRasterSource Source,
    MosaicIndexOptions Options,
    MosaicSourceFingerprint Fingerprint,
    ViewportStaging Staging,
    IVectorIndexBuilder IndexBuilder,
    BuildReporter Reporter,
    ILogger Logger,
    CancellationToken CancellationToken)
{
    public string ViewportId => Options.ViewportId;
}
