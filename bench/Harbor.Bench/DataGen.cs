using System.Text;
using Harbor.Domain.Duplicates;
using Harbor.Domain.Policy;
using Harbor.Web.Features.Customers;

namespace Harbor.Bench;

/// <summary>
/// Realistic, seeded registry data: Chinese company names (region + brand + trade + form, e.g.
/// 北京 + 星辰 + 科技 + 有限公司, sometimes written 星辰科技（北京）有限公司), mobile and landline numbers,
/// unified social credit codes with a valid check character, contacts, addresses and a spread of
/// dates. The same seed gives the same data, so runs compare.
/// </summary>
public sealed class DataGen(int seed)
{
    private static readonly string[] Regions =
    [
        "北京", "上海", "广州", "深圳", "杭州", "南京", "成都", "武汉", "西安", "重庆", "天津", "苏州", "长沙", "郑州",
        "青岛", "厦门", "合肥", "济南", "福州", "昆明", "宁波", "无锡", "佛山", "东莞", "大连", "沈阳", "哈尔滨", "长春",
        "石家庄", "太原", "南昌", "南宁", "贵阳", "兰州", "海口", "珠海", "温州", "常州", "徐州", "烟台", "广东", "浙江",
        "江苏", "山东", "四川", "湖北", "湖南", "河南", "福建", "安徽",
    ];

    // Characters that make brand names; none of them forms a generic word of the normaliser with its neighbour.
    private const string BrandChars =
        "星辰华泰恒达鑫源盛世嘉禾瑞丰腾飞宏远诚汇金博雅天成海纳联创锐永安康宁伟业兴隆广聚明德正和祥云万锦程凯旋航卓越智慧帆" +
        "佳美优品乐途新峰顺弘毅睿思尚朗晟昊宸铭轩润泽昌旺福禄寿喜宝丽君豪杰英";

    private static readonly string[] Trades =
    [
        "科技", "信息技术", "网络科技", "贸易", "商贸", "电子", "机械", "建材", "建筑工程", "物流", "餐饮管理", "文化传媒",
        "广告", "教育咨询", "医疗器械", "生物科技", "新能源", "环保科技", "食品", "服装", "家居", "化工", "汽车服务",
        "物业管理", "装饰工程", "软件", "智能科技", "供应链管理", "印刷", "农业发展", "酒店管理", "人力资源", "电气", "五金",
    ];

    private static readonly (string Form, int Weight)[] Forms =
    [
        ("有限公司", 60), ("有限责任公司", 12), ("股份有限公司", 8), ("集团有限公司", 5), ("商行", 5), ("工作室", 5), ("厂", 5),
    ];

    private const string Surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢";
    private const string Given = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国红梅玉兰志强晓东海燕春梅";
    private const string CodeAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static readonly int[] CodeWeights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    private static readonly string[] MobilePrefixes = ["130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155", "158", "159", "166", "170", "176", "177", "180", "181", "182", "185", "186", "187", "188", "189", "191", "198", "199"];
    private static readonly string[] AreaCodes = ["010", "021", "020", "0755", "0571", "025", "028", "027", "029", "023", "022", "0512"];

    private readonly Random _random = new(seed);
    private readonly HashSet<string> _nameKeys = [];
    private readonly HashSet<string> _phoneKeys = [];
    private readonly HashSet<string> _codeKeys = [];

    public Random Random => _random;

    /// <summary>A company name whose key is not taken yet (the registry is unique on it).</summary>
    public (string Name, string Key) CompanyName()
    {
        while (true)
        {
            var region = Regions[_random.Next(Regions.Length)];
            var brandLength = _random.Next(10) < 2 ? 2 : 3;
            var brand = new StringBuilder(brandLength);
            for (var i = 0; i < brandLength; i++)
                brand.Append(BrandChars[_random.Next(BrandChars.Length)]);
            var trade = Trades[_random.Next(Trades.Length)];
            var form = Pick(Forms);
            var name = _random.Next(10) == 0 ? $"{brand}{trade}（{region}）{form}" : $"{region}{brand}{trade}{form}";
            var key = Harbor.Domain.Duplicates.CompanyName.Key(name);
            if (key.Length > 0 && _nameKeys.Add(key))
                return (name, key);
        }
    }

    /// <summary>Another spelling of the same company: the conflict check must still find it.</summary>
    public string Respell(string name)
    {
        var key = Harbor.Domain.Duplicates.CompanyName.Key(name);
        var respelled = _random.Next(3) switch
        {
            0 => $"{key}（{Regions[_random.Next(Regions.Length)]}）有限公司",
            1 => $" {name} ",
            _ => $"{Regions[_random.Next(Regions.Length)]}市{key}股份有限公司",
        };
        return Harbor.Domain.Duplicates.CompanyName.Key(respelled) == key ? respelled : name;
    }

    /// <summary>A name that is not in the registry (it is remembered, so it never will be).</summary>
    public string MissName() => CompanyName().Name;

    public (string Phone, string Key) Phone()
    {
        while (true)
        {
            string phone;
            if (_random.Next(10) < 8)
            {
                var digits = MobilePrefixes[_random.Next(MobilePrefixes.Length)] + _random.Next(0, 100_000_000).ToString("D8", System.Globalization.CultureInfo.InvariantCulture);
                phone = _random.Next(4) switch
                {
                    0 => $"{digits[..3]} {digits[3..7]} {digits[7..]}",
                    1 => $"+86 {digits}",
                    _ => digits,
                };
            }
            else
            {
                var area = AreaCodes[_random.Next(AreaCodes.Length)];
                phone = $"{area}-{_random.Next(2_000_0000, 9_000_0000)}";
            }

            var key = LibPhoneNumberParser.Keys.Key(phone)!;
            if (_phoneKeys.Add(key))
                return (phone, key);
        }
    }

    /// <summary>The same number written another way (+86, spaces, dashes).</summary>
    public string Reformat(string phoneKey)
    {
        // Keys are E.164: "+8613800138000" for a mobile.
        if (!phoneKey.StartsWith("+861", StringComparison.Ordinal) || phoneKey.Length != 14)
            return phoneKey;
        var m = phoneKey[3..];
        return _random.Next(2) == 0 ? $"+86 {m[..3]}-{m[3..7]}-{m[7..]}" : $"{m[..3]} {m[3..7]} {m[7..]}";
    }

    public (string Code, string Key) CreditCodeValue()
    {
        Span<char> code = stackalloc char[18];
        while (true)
        {
            code[0] = '9';
            code[1] = '1';
            var division = 110000 + _random.Next(0, 540000);
            division.ToString("D6", System.Globalization.CultureInfo.InvariantCulture).AsSpan().CopyTo(code[2..]);
            for (var i = 8; i < 17; i++)
                code[i] = CodeAlphabet[_random.Next(CodeAlphabet.Length)];
            var sum = 0;
            for (var i = 0; i < 17; i++)
                sum += CodeAlphabet.IndexOf(code[i], StringComparison.Ordinal) * CodeWeights[i];
            code[17] = CodeAlphabet[(31 - sum % 31) % 31];
            var text = new string(code);
            var key = CreditCode.Key(text)!;
            if (_codeKeys.Add(key))
                return (text, key);
        }
    }

    public string ContactName() =>
        string.Concat(Surnames[_random.Next(Surnames.Length)].ToString(), Given[_random.Next(Given.Length)].ToString(),
            _random.Next(2) == 0 ? Given[_random.Next(Given.Length)].ToString() : "");

    public string Address() =>
        $"{Regions[_random.Next(Regions.Length)]}市{BrandChars[_random.Next(BrandChars.Length)]}{BrandChars[_random.Next(BrandChars.Length)]}路{_random.Next(1, 999)}号";

    /// <summary>
    /// A customer of the registry with the given state. <paramref name="startedOn"/> gives a
    /// protection that started that day (due 15 days later, at 10:00).
    /// </summary>
    public CustomerRow Customer(string status, Guid? owner, DateOnly? startedOn, DateTimeOffset? publishedAt, DateTimeOffset createdAt, CompanyCalendar calendar, PolicySettings policy)
    {
        var (name, nameKey) = CompanyName();
        string? phone = null, phoneKey = null, code = null, codeKey = null;
        if (_random.Next(10) < 9)
            (phone, phoneKey) = Phone();
        if (_random.Next(10) < 3)
            (code, codeKey) = CreditCodeValue();
        ProtectionTerm? term = startedOn is { } day ? ProtectionTerm.Starting(day, policy.ProtectionDays, calendar) : null;
        return new CustomerRow(
            Guid.CreateVersion7(createdAt), name, nameKey, phone, phoneKey, code, codeKey,
            _random.Next(10) < 7 ? ContactName() : null,
            _random.Next(10) < 5 ? Address() : null,
            status, owner, term?.StartsOn, term?.DueOn, term?.RemindAt, term?.ReleaseAt,
            publishedAt, null, createdAt);
    }

    private string Pick((string Value, int Weight)[] choices)
    {
        var total = choices.Sum(c => c.Weight);
        var roll = _random.Next(total);
        foreach (var (value, weight) in choices)
        {
            if (roll < weight)
                return value;
            roll -= weight;
        }

        return choices[^1].Value;
    }
}

/// <summary>A row of Harbor's Customers table, written by the bulk loader.</summary>
public sealed record CustomerRow(
    Guid Id, string Name, string NameKey, string? Phone, string? PhoneKey, string? CreditCode, string? CreditCodeKey,
    string? ContactName, string? Address, string Status, Guid? OwnerId, DateOnly? StartsOn, DateOnly? DueOn,
    DateTimeOffset? RemindAt, DateTimeOffset? ReleaseAt, DateTimeOffset? PublishedAt, DateOnly? RemindedFor, DateTimeOffset CreatedAt,
    string? Stage = null);
