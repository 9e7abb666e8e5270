using Harbor.Domain.Customers;
using Harbor.Domain.Policy;
using Microsoft.Net.Http.Headers;

namespace Harbor.Web.Features.Workbook;

public enum SheetLanguage
{
    Chinese,
    English,
}

/// <summary>What a column of a customer sheet holds, whatever its header says.</summary>
public enum SheetField
{
    Customer,
    Contact,
    Phone,
    Stage,
    Start,
    Due,
    DaysLeft,
    Status,
    CreditCode,
    Address,
    Notes,
}

/// <summary>
/// The words of the workbook in the user's language (zh-CN unless Accept-Language prefers
/// English), and the headers, stages and dates Harbor recognises when it reads a sheet back.
/// </summary>
public static class WorkbookText
{
    /// <summary>The seven default stages of rule 7 as the policy text names them.</summary>
    private static readonly Dictionary<string, string> ChineseStages = new(StringComparer.Ordinal)
    {
        ["phone-call"] = "电话拜访",
        ["first-meeting"] = "约见面谈",
        ["phone-follow-up"] = "电话跟进",
        ["second-meeting"] = "约见",
        ["objection-call"] = "电话解决异议",
        ["closing-meeting"] = "约见逼单",
        ["signed"] = "签约收款",
    };

    private static readonly (SheetField Field, string Chinese, string English, double Width)[] CustomerColumns =
    [
        (SheetField.Customer, "客户", "Customer", 36),
        (SheetField.Contact, "联系人", "Contact", 12),
        (SheetField.Phone, "电话", "Phone", 16),
        (SheetField.Stage, "阶段", "Stage", 14),
        (SheetField.Start, "开始日期", "Start", 12),
        (SheetField.Due, "到期日", "Due", 12),
        (SheetField.DaysLeft, "剩余天数", "Days left", 10),
        (SheetField.Status, "状态", "Status", 12),
    ];

    // Headers people write on their own sheets, compared without spaces, case or punctuation.
    private static readonly Dictionary<string, SheetField> Headers = BuildHeaders();

    public static SheetLanguage LanguageOf(HttpRequest request)
    {
        // A download link from Harbor's own pages names the page's language (the UI's language is
        // a cookie, the browser's Accept-Language may differ).
        if (request.Query.TryGetValue("lang", out var asked) && asked.Count > 0)
        {
            if (asked[0]!.StartsWith("en", StringComparison.OrdinalIgnoreCase))
                return SheetLanguage.English;
            if (asked[0]!.StartsWith("zh", StringComparison.OrdinalIgnoreCase))
                return SheetLanguage.Chinese;
        }

        var preferences = request.GetTypedHeaders().AcceptLanguage;
        foreach (var language in preferences.OrderByDescending(l => l.Quality ?? 1))
        {
            var tag = language.Value.Value ?? "";
            if (tag.StartsWith("en", StringComparison.OrdinalIgnoreCase))
                return SheetLanguage.English;
            if (tag.StartsWith("zh", StringComparison.OrdinalIgnoreCase))
                return SheetLanguage.Chinese;
        }

        return SheetLanguage.Chinese;
    }

    public static IReadOnlyList<XlsxColumn> Columns(SheetLanguage language) =>
        [.. CustomerColumns.Select(c => new XlsxColumn(language == SheetLanguage.Chinese ? c.Chinese : c.English, c.Width))];

    public static string SummaryName(SheetLanguage language) => language == SheetLanguage.Chinese ? "汇总" : "Summary";

    public static IReadOnlyList<XlsxColumn> SummaryColumns(SheetLanguage language) => language == SheetLanguage.Chinese
        ? [new("销售人员", 20), new("销售组", 16), new("工作表", 20), new("保护中", 10), new("名额", 8), new("已签约", 10), new("明日到期", 10)]
        : [new("Salesperson", 20), new("Group", 16), new("Sheet", 20), new("Protected", 10), new("Slots", 8), new("Signed", 10), new("Due tomorrow", 12)];

    public static string Total(SheetLanguage language) => language == SheetLanguage.Chinese ? "合计" : "Total";

    public static string Status(CustomerStatus status, SheetLanguage language) => (status, language) switch
    {
        (CustomerStatus.Protected, SheetLanguage.Chinese) => "保护中",
        (CustomerStatus.PendingReview, SheetLanguage.Chinese) => "待审核",
        (CustomerStatus.PendingPublication, SheetLanguage.Chinese) => "待发布",
        (CustomerStatus.InPool, SheetLanguage.Chinese) => "公海",
        (CustomerStatus.Signed, SheetLanguage.Chinese) => "已签约",
        (CustomerStatus.Protected, SheetLanguage.English) => "protected",
        (CustomerStatus.PendingReview, SheetLanguage.English) => "pending review",
        (CustomerStatus.PendingPublication, SheetLanguage.English) => "pending publication",
        (CustomerStatus.InPool, SheetLanguage.English) => "in pool",
        (CustomerStatus.Signed, SheetLanguage.English) => "signed",
    };

    /// <summary>A stage as the user reads it: the policy's Chinese name of a default stage, or the stage itself.</summary>
    public static string? Stage(string? stage, SheetLanguage language) =>
        stage is not null && language == SheetLanguage.Chinese && ChineseStages.TryGetValue(stage, out var chinese) ? chinese : stage;

    /// <summary>The policy stage a sheet's text names (English key or the Chinese name of a default stage), if any.</summary>
    public static string? ParseStage(string text, PolicySettings policy)
    {
        var trimmed = text.Trim();
        var stage = policy.Stages.FirstOrDefault(s => s.Equals(trimmed, StringComparison.OrdinalIgnoreCase));
        if (stage is not null)
            return stage;
        var key = ChineseStages.FirstOrDefault(p => p.Value == trimmed).Key;
        return key is not null && policy.Stages.Contains(key) ? key : null;
    }

    public static SheetField? FieldOf(string header) => Headers.TryGetValue(Fold(header), out var field) ? field : null;

    private static Dictionary<string, SheetField> BuildHeaders()
    {
        var headers = new Dictionary<string, SheetField>(StringComparer.Ordinal);
        void Add(SheetField field, params string[] names)
        {
            foreach (var name in names)
                headers[Fold(name)] = field;
        }

        Add(SheetField.Customer, "客户", "客户名称", "客户名", "公司", "公司名称", "企业名称", "单位名称", "意向客户", "customer", "customer name", "company", "company name", "name");
        Add(SheetField.Contact, "联系人", "联系人姓名", "contact", "contact name");
        Add(SheetField.Phone, "电话", "手机", "手机号", "联系电话", "电话号码", "phone", "mobile", "tel", "telephone", "phone number");
        Add(SheetField.Stage, "阶段", "跟进阶段", "销售阶段", "stage", "sales stage");
        Add(SheetField.Start, "开始日期", "开始", "开始时间", "报备日期", "录入日期", "start", "start date", "starts on", "started");
        Add(SheetField.Due, "到期日", "到期", "到期日期", "到期时间", "due", "due date", "due on");
        Add(SheetField.DaysLeft, "剩余天数", "剩余", "days left");
        Add(SheetField.Status, "状态", "status");
        Add(SheetField.CreditCode, "统一社会信用代码", "信用代码", "社会信用代码", "credit code", "unified social credit code", "uscc");
        Add(SheetField.Address, "地址", "address");
        Add(SheetField.Notes, "备注", "notes", "note", "remarks");
        return headers;
    }

    private static string Fold(string text) =>
        new([.. text.Where(c => !char.IsWhiteSpace(c) && !char.IsPunctuation(c)).Select(char.ToLowerInvariant)]);
}
