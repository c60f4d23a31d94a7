using Tessera.Indexing.Faiss;
using Tessera.Indexing.Indexes;
using Tessera.Indexing.Testing.Contracts;

namespace Tessera.Indexing.Tests.Contracts;

/// <summary>
/// The index contract for FAISS's exact flat index. A bare <c>Flat</c> keeps no labels (FAISS refuses
/// <c>add_with_ids</c>), so the builder's labelled adds need it wrapped in an <c>IDMap</c>.
/// </summary>
public sealed class FaissFlatIndexContractTests : VectorIndexContract
{
    protected override string FactoryString => "IDMap,Flat";

    protected override bool AddsWithoutLabels => false;

    protected override IVectorIndexBuilder CreateBuilder() => new FaissIndexBuilder();
}
