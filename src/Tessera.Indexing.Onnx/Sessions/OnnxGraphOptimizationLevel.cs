namespace Tessera.Indexing.Onnx.Sessions;

/// <summary>How much ONNX Runtime rewrites the graph when a session opens (its <c>GraphOptimizationLevel</c>).</summary>
public enum OnnxGraphOptimizationLevel
{
    /// <summary>No graph optimisations.</summary>
    Disabled = 0,

    /// <summary>Semantics-preserving rewrites only (constant folding, redundant node removal).</summary>
    Basic = 1,

    /// <summary>Basic plus node fusions (for example attention, GELU, layer normalisation).</summary>
    Extended = 2,

    /// <summary>Every optimisation, including layout changes (ONNX Runtime's default and ours).</summary>
    All = 99,
}
