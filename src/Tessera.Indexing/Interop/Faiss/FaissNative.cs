using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Tessera.Indexing.Interop.Faiss;

/// <summary>The <c>tf_*</c> C API of <c>libtessera_faiss.so</c> (native/tessera_faiss/tessera_faiss.h).</summary>
internal static unsafe partial class FaissNative
{
    private const string Lib = TesseraNativeLibraries.Faiss;

    static FaissNative()
    {
        Common.NativeEnvironment.PreferPassiveOpenMpWaits();
        Common.NativeLibraryLoader.Register(typeof(FaissNative).Assembly, Lib, "libtessera_faiss.so");
    }

    /// <summary>Forces the static constructor (and so the resolver) to run before the first call.</summary>
    internal static void EnsureRegistered()
    {
    }

    [LibraryImport(Lib, EntryPoint = "tf_last_error")]
    internal static partial byte* LastError();

    [LibraryImport(Lib, EntryPoint = "tf_faiss_version")]
    internal static partial byte* FaissVersion();

    [LibraryImport(Lib, EntryPoint = "tf_set_num_threads")]
    internal static partial int SetNumThreads(int n);

    [LibraryImport(Lib, EntryPoint = "tf_get_max_threads")]
    internal static partial int GetMaxThreads();

    [LibraryImport(Lib, EntryPoint = "tf_index_factory", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int IndexFactory(out FaissIndexHandle index, int d, string description, int metric);

    [LibraryImport(Lib, EntryPoint = "tf_index_free")]
    internal static partial void IndexFree(IntPtr index);

    [LibraryImport(Lib, EntryPoint = "tf_index_clone")]
    internal static partial int IndexClone(out FaissIndexHandle clone, FaissIndexHandle index);

    [LibraryImport(Lib, EntryPoint = "tf_index_d")]
    internal static partial int IndexDimension(FaissIndexHandle index);

    [LibraryImport(Lib, EntryPoint = "tf_index_is_trained")]
    internal static partial int IndexIsTrained(FaissIndexHandle index);

    [LibraryImport(Lib, EntryPoint = "tf_index_ntotal")]
    internal static partial long IndexCount(FaissIndexHandle index);

    [LibraryImport(Lib, EntryPoint = "tf_index_metric")]
    internal static partial int IndexMetric(FaissIndexHandle index);

    [LibraryImport(Lib, EntryPoint = "tf_index_train")]
    internal static partial int IndexTrain(FaissIndexHandle index, long n, float* x);

    [LibraryImport(Lib, EntryPoint = "tf_index_add")]
    internal static partial int IndexAdd(FaissIndexHandle index, long n, float* x);

    [LibraryImport(Lib, EntryPoint = "tf_index_add_with_ids")]
    internal static partial int IndexAddWithIds(FaissIndexHandle index, long n, float* x, long* ids);

    [LibraryImport(Lib, EntryPoint = "tf_index_search")]
    internal static partial int IndexSearch(FaissIndexHandle index, long n, float* x, long k, int nprobe, float* distances, long* labels);

    [LibraryImport(Lib, EntryPoint = "tf_index_range_search")]
    internal static partial int IndexRangeSearch(FaissIndexHandle index, long n, float* x, float radius, int nprobe, out FaissRangeResultHandle result);

    [LibraryImport(Lib, EntryPoint = "tf_index_reconstruct")]
    internal static partial int IndexReconstruct(FaissIndexHandle index, long key, float* recons);

    [LibraryImport(Lib, EntryPoint = "tf_index_reset")]
    internal static partial int IndexReset(FaissIndexHandle index);

    [LibraryImport(Lib, EntryPoint = "tf_index_merge_from")]
    internal static partial int IndexMergeFrom(FaissIndexHandle index, FaissIndexHandle other, long addId);

    [LibraryImport(Lib, EntryPoint = "tf_range_result_nq")]
    internal static partial nuint RangeResultQueryCount(FaissRangeResultHandle result);

    [LibraryImport(Lib, EntryPoint = "tf_range_result_lims")]
    internal static partial nuint* RangeResultLimits(FaissRangeResultHandle result);

    [LibraryImport(Lib, EntryPoint = "tf_range_result_labels")]
    internal static partial long* RangeResultLabels(FaissRangeResultHandle result);

    [LibraryImport(Lib, EntryPoint = "tf_range_result_distances")]
    internal static partial float* RangeResultDistances(FaissRangeResultHandle result);

    [LibraryImport(Lib, EntryPoint = "tf_range_result_free")]
    internal static partial void RangeResultFree(IntPtr result);

    [LibraryImport(Lib, EntryPoint = "tf_write_index_file", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int WriteIndexFile(FaissIndexHandle index, string path);

    [LibraryImport(Lib, EntryPoint = "tf_read_index_fd")]
    internal static partial int ReadIndexFile(out FaissIndexHandle index, SafeFileHandle file, int ioFlags);

    [LibraryImport(Lib, EntryPoint = "tf_write_index_buffer")]
    internal static partial int WriteIndexBuffer(out FaissBufferHandle buffer, FaissIndexHandle index);

    [LibraryImport(Lib, EntryPoint = "tf_buffer_data")]
    internal static partial byte* BufferData(FaissBufferHandle buffer);

    [LibraryImport(Lib, EntryPoint = "tf_buffer_size")]
    internal static partial nuint BufferSize(FaissBufferHandle buffer);

    [LibraryImport(Lib, EntryPoint = "tf_buffer_free")]
    internal static partial void BufferFree(IntPtr buffer);

    [LibraryImport(Lib, EntryPoint = "tf_read_index_buffer")]
    internal static partial int ReadIndexBuffer(out FaissIndexHandle index, byte* data, nuint size);

    [LibraryImport(Lib, EntryPoint = "tf_ivf_info")]
    internal static partial int IvfInfo(FaissIndexHandle index, out TfIvfInfo info);

    [LibraryImport(Lib, EntryPoint = "tf_ivf_set_nprobe")]
    internal static partial int IvfSetNprobe(FaissIndexHandle index, long nprobe);

    [LibraryImport(Lib, EntryPoint = "tf_ivf_set_centroids")]
    internal static partial int IvfSetCentroids(FaissIndexHandle index, float* centroids, long nlist);

    [LibraryImport(Lib, EntryPoint = "tf_ivf_get_centroids")]
    internal static partial int IvfGetCentroids(FaissIndexHandle index, float* centroids);

    [LibraryImport(Lib, EntryPoint = "tf_ivfpq_set_pq_centroids")]
    internal static partial int IvfPqSetCentroids(FaissIndexHandle index, float* centroids);

    [LibraryImport(Lib, EntryPoint = "tf_ivfpq_get_pq_centroids")]
    internal static partial int IvfPqGetCentroids(FaissIndexHandle index, float* centroids);

    [LibraryImport(Lib, EntryPoint = "tf_ivf_set_trained")]
    internal static partial int IvfSetTrained(FaissIndexHandle index);

    [LibraryImport(Lib, EntryPoint = "tf_ivf_add_preencoded")]
    internal static partial int IvfAddPreEncoded(FaissIndexHandle index, long n, long* listNumbers, byte* codes, long* ids);

    [LibraryImport(Lib, EntryPoint = "tf_ivf_list_size")]
    internal static partial int IvfListSize(FaissIndexHandle index, long listNumber, out long size);

    [LibraryImport(Lib, EntryPoint = "tf_ivf_get_list")]
    internal static partial int IvfGetList(FaissIndexHandle index, long listNumber, long* ids, byte* codes);

    [LibraryImport(Lib, EntryPoint = "tf_ivf_encode")]
    internal static partial int IvfEncode(FaissIndexHandle index, long n, float* x, long* listNumbers, byte* codes);

    /// <summary>Mirror of <c>TfIvfInfo</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct TfIvfInfo
    {
        public long NList;
        public long NProbe;
        public long CodeSize;
        public int IsPq;
        public int PqM;
        public int PqNBits;
        public int ByResidual;
        public int Polysemous;
        public int IsDirect;
    }
}
