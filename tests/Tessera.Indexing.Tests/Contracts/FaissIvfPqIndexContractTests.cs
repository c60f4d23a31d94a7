using Tessera.Indexing.Faiss;
using Tessera.Indexing.Indexes;
using Tessera.Indexing.Testing.Contracts;

namespace Tessera.Indexing.Tests.Contracts;

/// <summary>The index contract for an IVF-PQ index that FAISS trains and fills (approximate).</summary>
public sealed class FaissIvfPqIndexContractTests : VectorIndexContract
{
    protected override string FactoryString => "IVF4,PQ4x4np";

    protected override int ExhaustiveProbe => 4;

    protected override bool IsExact => false;

    protected override IVectorIndexBuilder CreateBuilder() => new FaissIndexBuilder();
}
