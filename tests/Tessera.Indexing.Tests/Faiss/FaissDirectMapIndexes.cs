using Tessera.Indexing.Testing;

namespace Tessera.Indexing.Tests.Faiss;

/// <summary>IVF indexes with direct maps, written by Python's faiss (the C# binding has no call that builds one).</summary>
internal static class FaissDirectMapIndexes
{
    private const string Script = """
        import sys, faiss, numpy as np
        x = np.random.default_rng(1).standard_normal((300, 8)).astype('float32')
        for kind, path in ((faiss.DirectMap.Array, sys.argv[1]), (faiss.DirectMap.Hashtable, sys.argv[2])):
            index = faiss.index_factory(8, "IVF4,Flat")
            index.train(x)
            index.set_direct_map_type(kind)
            if kind == faiss.DirectMap.Array:
                index.add(x[:40])
            else:
                index.add_with_ids(x[:40], np.arange(1000, 1040).astype('int64'))
            faiss.write_index(index, path)
        print("{}")
        """;

    /// <summary>Writes 40 vectors in an 8-d <c>IVF4,Flat</c> with an Array direct map (ids 0-39) and one with a hash table (ids 1000-1039).</summary>
    public static void Write(string arrayPath, string hashtablePath) => Python.Run(Script, arrayPath, hashtablePath);
}
