namespace Tessera.Server.Api;

/// <summary>One query of a search body: a pixel (<c>row</c>, <c>col</c>), a point (<c>lat</c>, <c>lon</c>) or a <c>vector</c>.</summary>
public class QueryBody
{
    /// <summary>Pixel row.</summary>
    public int? Row { get; set; }

    /// <summary>Pixel column.</summary>
    public int? Col { get; set; }

    /// <summary>Latitude.</summary>
    public double? Lat { get; set; }

    /// <summary>Longitude.</summary>
    public double? Lon { get; set; }

    /// <summary>An embedding in the indexed space.</summary>
    public float[]? Vector { get; set; }
}
