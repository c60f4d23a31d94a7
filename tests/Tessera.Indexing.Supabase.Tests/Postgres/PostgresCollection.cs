namespace Tessera.Indexing.Supabase.Tests.Postgres;

/// <summary>The tests that share one throw-away PostgreSQL server.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}
