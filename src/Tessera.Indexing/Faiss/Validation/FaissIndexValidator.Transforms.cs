namespace Tessera.Indexing.Faiss.Validation;

internal partial class FaissIndexValidator
{
    private Node ReadPreTransform(string fourcc, long? labelLimit, int depth)
    {
        var h = ReadHeader();
        var count = ReadInt32("chain length");
        if (count is < 0 or > MaxTransforms)
        {
            throw Corrupt($"a chain of {count} transforms is out of range (0-{MaxTransforms})");
        }

        var d = h.Dimension;
        var allTrained = true;
        for (var i = 0; i < count; i++)
        {
            _path.Add($"chain[{i}]");
            try
            {
                var (dIn, dOut, trained) = ReadVectorTransform();
                if (dIn != d)
                {
                    throw Corrupt($"transform {i} takes {dIn}-d input but receives {d}-d vectors", "d_in");
                }

                d = dOut;
                allTrained &= trained;
            }
            finally
            {
                _path.RemoveAt(_path.Count - 1);
            }
        }

        var sub = ReadIndex(labelLimit, depth + 1);
        _field = "index";
        CheckWrapped(h, sub, d, "pre-transform");
        if (!allTrained && (h.IsTrained || h.Count > 0))
        {
            throw Corrupt("an untrained transform sits in front of a trained (or non-empty) index", "chain");
        }

        return new Node(fourcc, NodeKind.PreTransform, h, null);
    }

    private (int DIn, int DOut, bool Trained) ReadVectorTransform()
    {
        var fourcc = ReadFourcc("transform type");
        _path.Add(fourcc);
        try
        {
            long matrix = -1;
            long bias = -1;
            long mean = -1;
            var haveBias = false;
            var isLinear = false;
            switch (fourcc)
            {
                case "PCAm":
                case "PcAm":
                case "Pcam":
                    ReadSingle("eigen_power");
                    if (fourcc == "Pcam")
                    {
                        ReadSingle("epsilon");
                    }

                    ReadBool("random_rotation");
                    if (fourcc != "PCAm")
                    {
                        ReadInt32("balanced_bins");
                    }

                    SkipFloatVector("mean");
                    SkipFloatVector("eigenvalues");
                    SkipFloatVector("PCAMat");
                    goto case "LTra";
                case "rrot":
                case "LTra":
                    isLinear = true;
                    haveBias = ReadBool("have_bias");
                    matrix = SkipFloatVector("A");
                    bias = SkipFloatVector("b");
                    break;
                case "VNrm":
                    ReadSingle("norm");
                    break;
                case "VCnt":
                    mean = SkipFloatVector("mean");
                    break;
                case "RmDT":
                    throw Refused("dimension remapping (Pad) transforms are not supported");
                case "Viqm":
                case "Viqt":
                    throw Refused("ITQ transforms are not supported");
                default:
                    throw UnknownTransform(fourcc);
            }

            var dIn = ReadInt32("d_in");
            var dOut = ReadInt32("d_out");
            var trained = ReadBool("is_trained");
            if (dIn <= 0 || dOut <= 0)
            {
                throw Corrupt($"transform dimensions {dIn} -> {dOut} must be positive", "d_in");
            }

            if (isLinear)
            {
                var expected = Mul(dIn, dOut);
                if (trained ? matrix != expected : matrix != 0 && matrix != expected)
                {
                    throw Corrupt($"the matrix holds {matrix} floats; a {dIn} -> {dOut} transform needs {expected}", "A");
                }

                if (haveBias ? bias != dOut : bias != 0 && bias != dOut)
                {
                    throw Corrupt($"the bias holds {bias} floats; a transform to {dOut}-d needs {(haveBias ? dOut : 0)}", "b");
                }
            }
            else
            {
                if (dIn != dOut)
                {
                    throw Corrupt($"a {fourcc} transform keeps the dimension, but maps {dIn} -> {dOut}", "d_out");
                }

                if (mean >= 0 && (trained ? mean != dIn : mean != 0 && mean != dIn))
                {
                    throw Corrupt($"the mean holds {mean} floats for {dIn}-d vectors", "mean");
                }
            }

            return (dIn, dOut, trained);
        }
        finally
        {
            _path.RemoveAt(_path.Count - 1);
        }
    }
}
