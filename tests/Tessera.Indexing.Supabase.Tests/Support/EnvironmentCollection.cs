namespace Tessera.Indexing.Supabase.Tests.Support;

/// <summary>Tests that change process environment variables; xUnit runs this collection with parallelization off.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EnvironmentCollection
{
    public const string Name = "environment";
}
