namespace KerasBackend;

/// <summary>
/// A sparse tensor in COO form: <see cref="Indices"/> (int64, shape (nnz, rank)) lists the coordinates of the
/// stored elements and <see cref="Values"/> (shape (nnz,)) their values; every other element is zero. Dense
/// ops do not take it: densify with <c>K.ToDense</c>, or multiply by a dense matrix with <c>K.SparseDot</c>.
/// </summary>
public sealed class SparseTensor : Tensor
{
    /// <summary>Makes a sparse tensor. Coordinates must be in range and distinct; <paramref name="values"/> is a 1-D C# array of a supported element type.</summary>
    public SparseTensor(long[,] indices, Array values, params int[] denseShape)
        : this(Tensor.FromArray(indices ?? throw Errors.Null("sparse_tensor", "indices")),
               Tensor.FromArray(values ?? throw Errors.Null("sparse_tensor", "values")), new Shape(denseShape))
    { }

    /// <summary>Makes a sparse tensor from an int64 (nnz, rank) index tensor and an (nnz,) value tensor (both copied).</summary>
    public SparseTensor(Tensor indices, Tensor values, Shape denseShape)
        : base(Validate(indices, values, denseShape), denseShape, name: null)
    {
        Indices = Tensor.Uninitialized(DType.Int64, indices.Shape);
        for (int i = 0; i < indices.Size; i++) Indices.SetLong(i, indices.GetLong(i));
        Values = Tensor.Uninitialized(values.DType, values.Shape);
        Values.CopyFrom(values);
    }

    /// <summary>The coordinates of the stored elements: int64, shape (nnz, rank).</summary>
    public Tensor Indices { get; }

    /// <summary>The stored values: shape (nnz,).</summary>
    public Tensor Values { get; }

    /// <summary>Number of stored elements.</summary>
    public int Nnz => Values.Size;

    public override bool IsSparse => true;

    private static DType Validate(Tensor indices, Tensor values, Shape shape)
    {
        const string op = "sparse_tensor";
        if (indices is null) throw Errors.Null(op, "indices");
        if (values is null) throw Errors.Null(op, "values");
        if (!shape.IsFullyDefined)
            throw new KerasValueException(op, "dense_shape", $"{op}: the dense shape must be fully defined. Received: dense_shape={shape}");
        if (values.IsSymbolic || indices.IsSymbolic || values.IsSparse || indices.IsSparse)
            throw new KerasTypeException(op, "values", $"{op}: indices and values must be concrete dense tensors.");
        if (values.Rank != 1)
            throw new KerasValueException(op, "values", $"{op}: values must be 1-D. Received: values.shape={values.Shape}");
        if (!indices.DType.IsInteger() || indices.Rank != 2 || indices.Shape[0] != values.Size || indices.Shape[1] != shape.Rank)
            throw new KerasValueException(op, "indices",
                $"{op}: indices must be integers of shape (nnz, rank) = ({values.Size}, {shape.Rank}). Received: indices.shape={indices.Shape}, indices.dtype={indices.DType.Name()}, dense_shape={shape}");
        var seen = new HashSet<long>();
        var strides = shape.Strides();
        for (int n = 0; n < values.Size; n++)
        {
            long flat = 0;
            for (int d = 0; d < shape.Rank; d++)
            {
                long i = indices.GetLong(n * shape.Rank + d);
                if (i < 0 || i >= shape[d])
                    throw new KerasIndexException(op, "indices",
                        $"{op}: index {i} of element {n} is out of range for dimension {d} of size {shape[d]}. Received: dense_shape={shape}");
                flat += i * strides[d];
            }
            if (!seen.Add(flat))
                throw new KerasValueException(op, "indices", $"{op}: element {n} repeats the coordinates of an earlier element; COO indices must be distinct.");
        }
        return values.DType;
    }

    /// <summary>The dense tensor with the stored values at their coordinates and zeros elsewhere.</summary>
    public Tensor ToDense()
    {
        var d = new Tensor(DType, Shape);
        var strides = Shape.Strides();
        for (int n = 0; n < Nnz; n++)
        {
            int flat = 0;
            for (int k = 0; k < Rank; k++) flat += (int)Indices.GetLong(n * Rank + k) * strides[k];
            CopyElement(Values, n, d, flat);
        }
        return d;
    }

    /// <summary>The nonzero elements of a dense tensor, in row-major order.</summary>
    public static SparseTensor FromDense(Tensor dense)
    {
        ArgumentNullException.ThrowIfNull(dense);
        if (dense.IsSymbolic || dense.IsSparse)
            throw new KerasTypeException("sparse_tensor", "dense", $"sparse_tensor: expected a concrete dense tensor. Received: {dense.Describe()}");
        var nz = new List<int>();
        for (int i = 0; i < dense.Size; i++) if (dense.GetDouble(i) != 0 || double.IsNaN(dense.GetDouble(i))) nz.Add(i);
        var idx = Tensor.Uninitialized(DType.Int64, new Shape(nz.Count, dense.Rank));
        var vals = Tensor.Uninitialized(dense.DType, new Shape(nz.Count));
        var strides = dense.Shape.Strides();
        for (int n = 0; n < nz.Count; n++)
        {
            int rest = nz[n];
            for (int k = 0; k < dense.Rank; k++) { idx.SetLong(n * dense.Rank + k, rest / strides[k]); rest %= strides[k]; }
            CopyElement(dense, nz[n], vals, n);
        }
        return new SparseTensor(idx, vals, dense.Shape);
    }

    internal SparseTensor Clone() => new(Indices, Values, Shape) { Name = Name };

    private static void CopyElement(Tensor src, int i, Tensor dst, int j)
    {
        if (src.DType.IsFloat()) dst.SetDouble(j, src.GetDouble(i));
        else dst.SetLong(j, src.GetLong(i));
    }

    public override string ToString() =>
        $"SparseTensor(indices={TensorFormatter.Repr(Indices)}, values={TensorFormatter.Repr(Values)}, dense_shape={Shape})";
}
