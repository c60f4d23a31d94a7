using Tessera.Indexing.Indexes;
using Tessera.Indexing.Quantization;
using Tessera.Indexing.Testing.Contracts;

namespace Tessera.Indexing.Tests.Contracts;

/// <summary>The index contract for an IVF-PQ index that the managed builder trains and encodes (approximate).</summary>
public sealed class ManagedIvfPqIndexContractTests : VectorIndexContract
{
    protected override string FactoryString => "IVF4,PQ4x4np";

    protected override int ExhaustiveProbe => 4;

    protected override bool IsExact => false;

    // A small add batch, so Add encodes and appends in several steps (and cancellation is checked between them).
    protected override IVectorIndexBuilder CreateBuilder() => new ManagedIvfIndexBuilder(new ManagedIvfIndexBuilderOptions { MaxDegreeOfParallelism = 2, AddBatchSize = 128 });
}
