using System.Numerics;

namespace NetGen;

/// <summary>
/// Grayscale images read from an IDX file by <see cref="IdxReader.ReadImages(string)"/>: <see cref="Count"/>
/// images of <see cref="Rows"/> x <see cref="Columns"/> unsigned-byte pixels, stored image after image, each
/// row-major (the MNIST layout: 0 is background, 255 is ink).
/// </summary>
public sealed class IdxImages
{
    private readonly byte[] _pixels;

    internal IdxImages(byte[] pixels, int count, int rows, int columns)
    {
        _pixels = pixels;
        Count = count;
        Rows = rows;
        Columns = columns;
    }

    /// <summary>The number of images.</summary>
    public int Count { get; }

    /// <summary>The height of every image, in pixels.</summary>
    public int Rows { get; }

    /// <summary>The width of every image, in pixels.</summary>
    public int Columns { get; }

    /// <summary>Pixels per image (<c>Rows * Columns</c>): the feature count of a data set made from the images.</summary>
    public int PixelsPerImage => Rows * Columns;

    /// <summary>All pixels, image after image, each image row-major.</summary>
    public ReadOnlySpan<byte> Pixels => _pixels;

    /// <summary>The pixels of image <paramref name="index"/>, row-major.</summary>
    public ReadOnlySpan<byte> Image(int index)
    {
        if ((uint)index >= (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"The index must be in [0, {Count}).");
        }

        return _pixels.AsSpan(index * PixelsPerImage, PixelsPerImage);
    }

    /// <summary>
    /// All pixels as features scaled to [0, 1] (<c>pixel / 255</c>), image after image: the feature array of a
    /// <see cref="Dataset{T}"/> with <see cref="PixelsPerImage"/> features per sample.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    public T[] ToFeatures<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> scale = stackalloc T[256];
        for (int value = 0; value < scale.Length; value++)
        {
            scale[value] = T.CreateChecked(value) / T.CreateChecked(255);
        }

        var features = new T[_pixels.Length];
        for (int i = 0; i < _pixels.Length; i++)
        {
            features[i] = scale[_pixels[i]];
        }

        return features;
    }
}
