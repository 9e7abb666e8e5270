namespace Harbor.Web.Data;

/// <summary>
/// One run of the master workbook's import (dry run, real, or refused), kept so that the admin can
/// download its report later (issue 9). The report is the JSON the API answered, gzip-compressed:
/// 100,000 rows compress to a few megabytes, and the download renders it as a workbook in the
/// language of whoever asks.
/// </summary>
public sealed class ImportRecord
{
    public const int MaxFileNameLength = 260;
    public const int MaxResultLength = 16;

    public Guid Id { get; set; }
    public DateTimeOffset At { get; set; }

    /// <summary>The admin who ran it.</summary>
    public Guid? ActorId { get; set; }

    /// <summary>The uploaded file's name as the browser sent it.</summary>
    public string? FileName { get; set; }

    /// <summary><c>dry-run</c>, <c>imported</c> or <c>refused</c>.</summary>
    public required string Result { get; set; }

    public int Imported { get; set; }
    public int Rejected { get; set; }
    public int Sheets { get; set; }

    /// <summary>The <see cref="Features.Workbook.ImportReport"/> as gzip-compressed JSON.</summary>
    public required byte[] Report { get; set; }
}
