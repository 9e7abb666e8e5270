namespace Harbor.Web.Features.Workbook;

/// <summary>
/// <c>Harbor:Workbook</c>: who may export, and the limits an uploaded workbook must stay within.
/// The limits are checked on the compressed upload, on the archive before anything is inflated
/// for parsing, and on the rows, so a hostile file is refused before it costs memory.
/// </summary>
public sealed class WorkbookOptions
{
    /// <summary>Roles that may download the master workbook (issue 3: who may export what is a setting).</summary>
    public string[] ExportRoles { get; set; } = ["clerk"];

    /// <summary>Whether a salesperson may download their own sheet (GET /api/me/sheet).</summary>
    public bool OwnSheetExport { get; set; } = true;

    /// <summary>The largest upload accepted, in bytes (the whole multipart body).</summary>
    public long MaxUploadBytes { get; set; } = 20 * 1024 * 1024;

    /// <summary>The most the archive may inflate to, in bytes, counted while inflating (a zip bomb stops here).</summary>
    public long MaxUncompressedBytes { get; set; } = 200 * 1024 * 1024;

    /// <summary>The most entries the archive may hold.</summary>
    public int MaxEntries { get; set; } = 1000;

    /// <summary>The most rows, over all sheets, a workbook may have.</summary>
    public int MaxRows { get; set; } = 200_000;

    /// <summary>Customers read from the database at a time while exporting.</summary>
    public int ExportPageSize { get; set; } = 5000;

    /// <summary>
    /// An import into a registry of at most this many customers reads their keys once, whole, instead
    /// of looking the upload's keys up 5,000 rows at a time (a first import into an empty Harbor).
    /// </summary>
    public int ImportWholeRegistryUpTo { get; set; } = 20_000;

    /// <summary>
    /// While importing, a collection of the GC's young generations after every this many megabytes
    /// allocated (0: leave it to the GC). It bounds the import's garbage between collections, most of
    /// its memory otherwise (<see cref="ImportMemory"/>).
    /// </summary>
    public int ImportCollectEveryMegabytes { get; set; } = 16;
}
