using Tessera.Indexing.Indexes;
using Tessera.Indexing.Quantization;
using Tessera.Indexing.Testing.Contracts;

namespace Tessera.Indexing.Tests.Contracts;

/// <summary>The index contract for an IVF-Flat index that the managed builder trains and encodes.</summary>
public sealed class ManagedIvfFlatIndexContractTests : VectorIndexContract
{
    protected override string FactoryString => "IVF4,Flat";

    protected override int ExhaustiveProbe => 4;

    protected override IVectorIndexBuilder CreateBuilder() => new ManagedIvfIndexBuilder(new ManagedIvfIndexBuilderOptions { MaxDegreeOfParallelism = 2 });
}
