using Tessera.Indexing.FlatIndexes;
using Tessera.Indexing.Indexes;
using Tessera.Indexing.Testing.Contracts;

namespace Tessera.Indexing.Tests.Contracts;

/// <summary>The index contract for the managed exact flat index (no FAISS code; FAISS's IndexFlat file format).</summary>
public sealed class ManagedFlatIndexContractTests : VectorIndexContract
{
    protected override string FactoryString => ManagedFlatIndexBuilder.FactoryString;

    // Like FAISS's plain Flat, it labels vectors by position (the shards' labels are positions).
    protected override long FirstLabel => 0;

    protected override long LabelStep => 1;

    protected override IVectorIndexBuilder CreateBuilder() => new ManagedFlatIndexBuilder();
}
