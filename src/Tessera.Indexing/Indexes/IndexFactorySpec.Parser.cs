using System.Globalization;
using System.Text.RegularExpressions;

namespace Tessera.Indexing.Indexes;

public partial class IndexFactorySpec
{
    /// <summary>One parse of one string; the first problem found is returned as a message.</summary>
    private sealed class Parser
    {
        private readonly string _text;
        private readonly Parts _parts = new();

        private Parser(string text) => _text = text;

        public static string? Run(string? factoryString, out string[] tokens, out int ivfToken, out Parts parts)
        {
            tokens = [];
            ivfToken = -1;
            parts = new Parts();
            if (string.IsNullOrWhiteSpace(factoryString))
            {
                return "The index factory string is empty; use for example 'Flat', 'IVF1024,Flat' or 'IVF1024,PQ64np'.";
            }

            var text = factoryString.Trim();
            if (text.Length > MaxLength)
            {
                return $"The index factory string is {text.Length} characters long; at most {MaxLength} are accepted.";
            }

            var parser = new Parser(text);
            tokens = text.Split(',');
            var error = parser.Parse(tokens, out ivfToken);
            parts = parser._parts;
            return error;
        }

        private string? Parse(string[] tokens, out int ivfToken)
        {
            ivfToken = -1;
            for (var i = 0; i < tokens.Length; i++)
            {
                if (tokens[i].Length == 0)
                {
                    return Bad("has an empty component (two commas in a row, or a comma at an end)");
                }
            }

            var first = 0;
            var end = tokens.Length;
            if (IdMapKind(tokens[0]) is { } prefix)
            {
                _parts.IdMap = prefix;
                first = 1;
            }
            else if (IdMapKind(tokens[^1]) is { } suffix)
            {
                _parts.IdMap = suffix;
                end--;
            }

            for (var i = first; i < end; i++)
            {
                if (IdMapKind(tokens[i]) is not null)
                {
                    return Bad($"has '{tokens[i]}' in the middle; an id map may appear once, first or last");
                }
            }

            if (first >= end)
            {
                return Bad("has an id map but no index; use for example 'IDMap2,Flat'");
            }

            var at = first;
            while (at < end - 1)
            {
                var (transform, error) = ParseTransform(tokens[at]);
                if (error is not null)
                {
                    return error;
                }

                if (transform is null)
                {
                    break;
                }

                _parts.Transforms.Add(transform);
                at++;
            }

            var core = tokens[at..end];
            if (core.Length == 1)
            {
                return ParseSingle(core[0]);
            }

            if (core.Length > 2)
            {
                return Bad($"has '{core[2]}' after '{core[0]},{core[1]}'; refinement ('RFlat', 'Refine(…)') and other trailing components are not supported");
            }

            var ivf = IvfPattern().Match(core[0]);
            if (ivf.Success)
            {
                ivfToken = at;
                return ParseIvf(ivf, core[1]);
            }

            var hnsw = HnswPattern().Match(core[0]);
            if (hnsw.Success && !hnsw.Groups["code"].Success)
            {
                return ParseHnsw(core[0], hnsw, core[1]);
            }

            if (ParseTransform(core[0]).Transform is not null)
            {
                return Bad($"has the pre-transform '{core[0]}' without an index after it");
            }

            var single = ParseSingle(core[0]);
            return single ?? Bad($"has '{core[1]}' after '{core[0]}'; nothing may follow a {_parts.Encoding} index except an id map");
        }

        private string? ParseSingle(string token)
        {
            _parts.Structure = IndexStructure.Flat;
            if (token == "Flat")
            {
                _parts.Encoding = IndexEncoding.Flat;
                return null;
            }

            if (TryEncoding(token, allowBits: true, allowFastScan: true, out var encodingError))
            {
                return encodingError;
            }

            var lsh = LshPattern().Match(token);
            if (lsh.Success)
            {
                _parts.Encoding = IndexEncoding.Lsh;
                _parts.LshRotate = lsh.Groups["r"].Length > 0;
                _parts.LshTrainThresholds = lsh.Groups["t"].Length > 0;
                return null;
            }

            var hnsw = HnswPattern().Match(token);
            if (hnsw.Success)
            {
                return ParseHnsw(token, hnsw, hnsw.Groups["code"].Success ? hnsw.Groups["code"].Value : "");
            }

            var ivf = IvfPattern().Match(token);
            if (ivf.Success)
            {
                return Bad($"has '{token}' without an encoding after it; use for example '{token},Flat' or '{token},PQ16np'");
            }

            if (ParseTransform(token).Transform is not null)
            {
                return Bad($"has the pre-transform '{token}' without an index after it; use for example '{token},Flat'");
            }

            return Unknown(token);
        }

        private string? ParseIvf(Match ivf, string code)
        {
            _parts.Structure = IndexStructure.InvertedFile;
            var token = ivf.Value;
            var nlist = Size(ivf.Groups["n"].Value, token, "inverted lists", 1, int.MaxValue, out var error);
            if (error is not null)
            {
                return error;
            }

            _parts.NList = nlist;
            if (ivf.Groups["m"].Success)
            {
                _parts.CoarseHnsw = HnswM(ivf.Groups["m"].Value, token, out error);
                if (error is not null)
                {
                    return error;
                }
            }

            if (code == "Flat")
            {
                _parts.Encoding = IndexEncoding.Flat;
                return null;
            }

            if (TryEncoding(code, allowBits: true, allowFastScan: true, out error))
            {
                return error;
            }

            return Bad($"has '{code}' after '{token}', which is not an IVF encoding this library supports (Flat, PQ{{M}}[x{{nbits}}][np], SQ4, SQ6, SQ8, SQfp16)");
        }

        private string? ParseHnsw(string token, Match hnsw, string code)
        {
            _parts.Structure = IndexStructure.Hnsw;
            _parts.Hnsw = HnswM(hnsw.Groups["m"].Value, token, out var error);
            if (error is not null)
            {
                return error;
            }

            if (code is "" or "Flat")
            {
                _parts.Encoding = IndexEncoding.Flat;
                return null;
            }

            if (TryEncoding(code, allowBits: false, allowFastScan: false, out var encodingError))
            {
                return encodingError;
            }

            return Bad($"has '{code}' as the storage of '{token}', which is not supported (Flat, PQ{{M}}[np], SQ4, SQ6, SQ8, SQfp16)");
        }

        /// <summary>Recognises PQ and SQ encodings; <see langword="false"/> when <paramref name="token"/> is neither.</summary>
        private bool TryEncoding(string token, bool allowBits, bool allowFastScan, out string? error)
        {
            error = null;
            switch (token)
            {
                case "SQ4":
                case "SQ6":
                case "SQ8":
                    _parts.Encoding = IndexEncoding.ScalarQuantizer;
                    _parts.SqBits = token[2] - '0';
                    return true;
                case "SQfp16":
                    _parts.Encoding = IndexEncoding.ScalarQuantizer;
                    _parts.SqBits = 16;
                    return true;
                case "SQ8_direct":
                    error = Bad("has 'SQ8_direct', which FAISS 1.7.3's index_factory does not understand");
                    return true;
            }

            var pq = PqPattern().Match(token);
            if (pq.Success)
            {
                _parts.Encoding = IndexEncoding.ProductQuantizer;
                _parts.PqM = Size(pq.Groups["m"].Value, token, "sub-quantizers", 1, int.MaxValue, out error);
                if (error is not null)
                {
                    return true;
                }

                _parts.PqBits = 8;
                if (pq.Groups["bits"].Success)
                {
                    if (!allowBits)
                    {
                        error = Bad($"has '{token}': FAISS 1.7.3 builds HNSW's product quantizer with 8-bit codes only (write 'PQ{_parts.PqM}')");
                        return true;
                    }

                    _parts.PqBits = Size(pq.Groups["bits"].Value, token, "bits per code", 1, 16, out error);
                }

                _parts.Polysemous = !pq.Groups["np"].Success;
                return true;
            }

            var fs = PqFastScanPattern().Match(token);
            if (fs.Success && allowFastScan)
            {
                _parts.Encoding = IndexEncoding.ProductQuantizer;
                _parts.FastScan = true;
                _parts.PqBits = 4;
                _parts.PqM = Size(fs.Groups["m"].Value, token, "sub-quantizers", 1, int.MaxValue, out error);
                if (error is null && fs.Groups["bbs"].Success)
                {
                    var bbs = Size(fs.Groups["bbs"].Value, token, "block size", 32, 1 << 16, out error);
                    if (error is null && bbs % 32 != 0)
                    {
                        error = Bad($"has '{token}': the fast-scan block size must be a multiple of 32");
                    }
                }

                return true;
            }

            return false;
        }

        private (IndexFactoryTransform? Transform, string? Error) ParseTransform(string token)
        {
            string? error;
            var pca = PcaPattern().Match(token);
            if (pca.Success)
            {
                var n = Size(pca.Groups["n"].Value, token, "output dimensions", 1, MaxTransformDimension, out error);
                return error is not null
                    ? (null, error)
                    : (new IndexFactoryTransform(IndexFactoryTransformKind.Pca, n, Whitening: pca.Groups["w"].Length > 0, Rotation: pca.Groups["r"].Length > 0), null);
            }

            var opq = OpqPattern().Match(token);
            if (opq.Success)
            {
                var m = Size(opq.Groups["m"].Value, token, "sub-quantizers", 1, MaxTransformDimension, out error);
                int? d = null;
                if (error is null && opq.Groups["d"].Success)
                {
                    d = Size(opq.Groups["d"].Value, token, "output dimensions", 1, MaxTransformDimension, out error);
                }

                return error is not null ? (null, error) : (new IndexFactoryTransform(IndexFactoryTransformKind.Opq, d, SubQuantizers: m), null);
            }

            var rr = RandomRotationPattern().Match(token);
            if (rr.Success)
            {
                int? n = null;
                error = null;
                if (rr.Groups["n"].Success)
                {
                    n = Size(rr.Groups["n"].Value, token, "output dimensions", 1, MaxTransformDimension, out error);
                }

                return error is not null ? (null, error) : (new IndexFactoryTransform(IndexFactoryTransformKind.RandomRotation, n), null);
            }

            if (token is "L2norm" or "L2Norm")
            {
                return (new IndexFactoryTransform(IndexFactoryTransformKind.L2Normalization, null), null);
            }

            if (token.StartsWith("ITQ", StringComparison.Ordinal) || token.StartsWith("Pad", StringComparison.Ordinal))
            {
                return (null, Bad($"has the pre-transform '{token}', which is not supported (PCA, OPQ, RR and L2norm are)"));
            }

            return (null, null);
        }

        private int HnswM(string digits, string token, out string? error) =>
            Size(digits.Length == 0 ? "32" : digits, token, "neighbours per vector", 2, MaxHnswNeighbors, out error);

        private int Size(string digits, string token, string what, int min, int max, out string? error)
        {
            error = null;
            if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value > max)
            {
                error = Bad($"has '{token}', which asks for {digits} {what}; at most {max.ToString("N0", CultureInfo.InvariantCulture)} are accepted");
                return 0;
            }

            if (value < min)
            {
                error = Bad($"has '{token}', which asks for {value} {what}; at least {min} {(min == 1 ? "is" : "are")} needed");
                return 0;
            }

            return value;
        }

        private static IndexIdMapKind? IdMapKind(string token) => token switch
        {
            "IDMap" => IndexIdMapKind.IdMap,
            "IDMap2" => IndexIdMapKind.IdMap2,
            _ => null,
        };

        private string Unknown(string token) =>
            Bad($"has '{token}', which is not an index this library supports (Flat, IVF{{n}},…, PQ{{M}}, SQ8, HNSW{{m}}, with optional IDMap/IDMap2 and PCA/OPQ/RR/L2norm pre-transforms)");

        private string Bad(string problem) => $"The index factory string '{_text}' {problem}.";
    }
}
