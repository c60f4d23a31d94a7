using Tessera.Indexing.Faiss;
using Tessera.Indexing.Indexes;
using Tessera.Indexing.Testing.Contracts;

namespace Tessera.Indexing.Tests.Contracts;

/// <summary>The index contract for an IVF-Flat index that FAISS trains and fills.</summary>
public sealed class FaissIvfFlatIndexContractTests : VectorIndexContract
{
    protected override string FactoryString => "IVF4,Flat";

    protected override int ExhaustiveProbe => 4;

    protected override IVectorIndexBuilder CreateBuilder() => new FaissIndexBuilder();
}
