namespace Tessera.Indexing.Indexes;

/// <summary>A pre-transform applied to vectors before the index sees them.</summary>
public enum IndexFactoryTransformKind
{
    /// <summary>Principal component analysis to fewer dimensions (<c>PCA{n}</c>, <c>PCAW{n}</c>, <c>PCAR{n}</c>, <c>PCAWR{n}</c>).</summary>
    Pca = 0,

    /// <summary>Optimised product quantization rotation (<c>OPQ{M}[_{d}]</c>).</summary>
    Opq = 1,

    /// <summary>A random rotation (<c>RR[{d}]</c>).</summary>
    RandomRotation = 2,

    /// <summary>L2 normalisation (<c>L2norm</c>).</summary>
    L2Normalization = 3,
}
