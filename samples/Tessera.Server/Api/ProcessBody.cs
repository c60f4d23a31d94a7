namespace Tessera.Server.Api;

/// <summary>The body of <c>POST /api/viewports/{id}/process</c>.</summary>
public sealed class ProcessBody
{
    /// <summary>The mosaic, relative to (or absolute inside) the configured mosaics root.</summary>
    public string? MosaicPath { get; set; }

    /// <summary>Rebuild even when a valid cached index exists.</summary>
    public bool? Force { get; set; }
}
