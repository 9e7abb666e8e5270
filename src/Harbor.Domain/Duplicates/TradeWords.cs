using System.Collections.Frozen;

namespace Harbor.Domain.Duplicates;

/// <summary>Lines of business named by trade words. Two names whose trade words share no line conflict.</summary>
[Flags]
internal enum Trade
{
    None = 0,
    Tech = 1 << 0,
    Machinery = 1 << 1,
    Auto = 1 << 2,
    Food = 1 << 3,
    Agriculture = 1 << 4,
    Building = 1 << 5,
    Logistics = 1 << 6,
    Medical = 1 << 7,
    Education = 1 << 8,
    Media = 1 << 9,
    Textile = 1 << 10,
    Materials = 1 << 11,
    Energy = 1 << 12,
    Hospitality = 1 << 13,
    Finance = 1 << 14,
    Retail = 1 << 15,
    Services = 1 << 16,

    // 贸易: a trading company trades goods of any line, but runs no fleet, hotel, school or bank.
    Commerce = 1 << 17,

    Goods = Tech | Machinery | Auto | Food | Agriculture | Building | Medical | Textile | Materials | Energy | Retail,

    // 科技 and 技术 say "technology" only when nothing else says the trade: 食品科技 is a food company.
    WeakTech = 1 << 30,
}

/// <summary>
/// The generic words of company names (查重, rule 3): trade words (科技, 贸易, 食品), broad words (实业, 发展,
/// 国际, 中国) and organisational forms left inside a core (有限公司上海分公司). What is not a generic word,
/// a region or a district is the brand (字号), and the brand decides whether two names are one company.
/// </summary>
internal static class TradeWords
{
    // Broad words: they say nothing about the line of business.
    private static readonly string[] Broad =
    [
        "实业", "发展", "国际", "投资", "管理", "控股", "企业", "企业管理", "服务", "咨询", "工程", "中国", "中华", "全球", "环球", "创新", "产业", "销售", "开发", "研发", "经营",
        "中心", "制品", "产品", "用品", "股份", "有限公司", "有限责任公司", "股份有限公司", "公司", "分公司", "总公司",
        "集团", "人民", "联合", "合作社", "专业", "综合", "工业", "商务", "商业", "供销", "实业发展", "营销",
    ];

    private static readonly (Trade Trade, string[] Words)[] Specific =
    [
        (Trade.WeakTech, ["科技", "技术"]),
        (Trade.Commerce, ["贸易", "商贸", "进出口", "工贸", "经贸", "外贸", "国际贸易", "进出口贸易"]),
        (Trade.Tech, [
            "网络", "信息", "软件", "数据", "智能", "计算机", "系统", "通信", "通讯", "互联网", "电子商务", "电商",
            "云计算", "物联网", "大数据", "人工智能", "数码", "区块链", "集成电路", "微电子", "半导体", "芯片", "光电",
            "电子", "电器", "家电", "电气", "视像", "数字", "信息技术", "网络技术", "电子科技", "光学", "影像",
            "照明", "电池", "自动化", "机器人", "激光", "仪器", "仪表", "数控", "安防", "监控",
        ]),
        (Trade.Machinery, [
            "机械", "设备", "机电", "精密", "精工", "重工", "制造", "模具", "五金", "工具", "机床", "液压", "阀门",
            "泵业", "轴承", "机器人", "自动化", "数控", "激光", "器材", "仪器", "仪表", "钢铁", "金属", "铸造",
            "电气", "电机", "焊接", "锻造", "紧固件", "钢材", "不锈钢", "铝业",
        ]),
        (Trade.Auto, ["汽车", "汽配", "汽车配件", "汽车销售", "汽车服务", "汽车租赁", "车业", "摩托", "轮胎", "电动车", "新能源汽车"]),
        (Trade.Food, [
            "食品", "餐饮", "饮品", "饮料", "乳业", "乳品", "粮油", "酒业", "酒家", "啤酒", "茶业", "茶叶", "火锅",
            "水产", "水产品", "农产品", "调味品", "咖啡", "烘焙", "面业", "米业", "肉业", "肉类", "果业", "蔬菜",
            "生鲜", "糖业", "饭店", "餐厅", "美食", "小吃", "副食品", "零食", "酒楼", "餐饮管理", "食品科技", "冷链",
        ]),
        (Trade.Agriculture, [
            "农业", "农产品", "农牧", "牧业", "畜牧", "种业", "林业", "水产", "水产品", "渔业", "生态", "园林", "花卉",
            "苗木", "养殖", "种植", "农资", "化肥", "饲料", "农机", "果业", "茶业", "茶叶", "蔬菜", "农业科技",
        ]),
        (Trade.Building, [
            "建设", "建筑", "装饰", "装修", "建材", "陶瓷", "门窗", "家居", "石材", "钢结构", "幕墙", "园林", "景观",
            "房地产", "置业", "地产", "物业", "建工", "路桥", "水泥", "瓷砖", "卫浴", "厨卫", "厨具", "家具", "木业",
            "涂料", "防水", "五金", "建筑工程", "装饰工程", "安装", "照明", "设计", "门业", "地板", "钢材", "不锈钢",
        ]),
        (Trade.Logistics, [
            "物流", "供应链", "运输", "货运", "快递", "速运", "速递", "仓储", "货运代理", "国际货运", "航运", "海运",
            "空运", "冷链", "配送", "搬家", "航空", "港口", "港务", "船务", "客运", "出行", "供应链管理",
        ]),
        (Trade.Medical, [
            "医疗", "器械", "医疗器械", "医药", "药业", "药房", "大药房", "制药", "生物", "生物科技", "生物技术",
            "基因", "健康", "医院", "诊所", "门诊", "口腔", "齿科", "眼科", "康复", "养老", "保健", "卫生",
            "检测", "医学", "药品", "中药", "医疗科技",
        ]),
        (Trade.Education, [
            "教育", "培训", "学校", "学院", "大学", "中学", "小学", "幼儿园", "研究所", "研究院", "留学", "学堂",
            "早教", "教育科技", "教育咨询", "职业技能",
        ]),
        (Trade.Media, [
            "文化", "传媒", "广告", "传播", "影视", "出版", "策划", "会展", "设计", "动漫", "艺术", "娱乐", "演艺",
            "摄影", "书店", "图书", "体育", "游戏", "文化传媒", "文化传播", "印刷", "影像",
        ]),
        (Trade.Textile, [
            "纺织", "纺织品", "服装", "服饰", "鞋业", "鞋材", "鞋服", "皮革", "家纺", "针织", "制衣", "时装", "布业",
            "印染", "内衣", "箱包", "织造", "丝绸",
        ]),
        (Trade.Materials, [
            "化工", "材料", "新材料", "塑料", "塑胶", "橡胶", "涂料", "化学", "纸业", "包装", "印刷", "彩印", "玻璃",
            "树脂", "日化", "油墨", "胶业", "包装材料", "化妆品", "纸品",
        ]),
        (Trade.Energy, [
            "能源", "新能源", "环保", "环境", "节能", "光伏", "电力", "水务", "燃气", "石油", "石化", "天然气",
            "太阳能", "风电", "电源", "电池", "热力", "煤业", "矿业", "水处理", "净化", "环保科技", "环保工程",
            "环境工程", "石油化工",
        ]),
        (Trade.Hospitality, ["酒店", "饭店", "宾馆", "旅游", "旅行社", "旅行", "度假", "客栈", "民宿", "会所", "酒家", "酒楼", "国际旅行社"]),
        (Trade.Finance, [
            "银行", "保险", "证券", "基金", "金融", "资产管理", "担保", "小额贷款", "信托", "期货", "财产保险",
            "人寿", "人寿保险", "支付", "典当", "融资租赁", "农商银行", "商业银行", "农村商业银行",
        ]),
        (Trade.Retail, ["超市", "商场", "百货", "便利店", "连锁", "商城", "购物", "商店", "专卖店", "批发", "零售", "书店", "药房", "大药房"]),
        (Trade.Services, [
            "律师事务所", "律师", "会计师事务所", "事务所", "人力资源", "家政", "家政服务", "物业管理", "保洁",
            "安保", "保安", "劳务", "中介", "婚庆", "美容", "美发", "健身", "洗衣", "维修", "清洁", "宠物",
            "知识产权", "代理记账", "财税", "搬家",
        ]),
    ];

    // Latin names lose their spaces in the key ("ABC Trading" -> abctrading), so these are found as
    // substrings; none is shorter than four letters, to leave short brands alone.
    private static readonly (Trade Trade, string[] Words)[] Latin =
    [
        (Trade.Commerce, ["trading", "trade", "import", "export", "imports", "exports"]),
        (Trade.None, [
            "international", "industrial", "industries", "industry", "development", "investment", "investments", "management", "holdings", "holding", "enterprise",
            "enterprises", "china", "global", "asia", "consulting", "services", "service", "engineering",
            "products", "product", "solutions", "solution", "supply", "commerce", "commercial", "worldwide",
        ]),
        (Trade.WeakTech, ["technology", "technologies", "tech"]),
        (Trade.Tech, [
            "electronics", "electronic", "electric", "electrical", "software", "network", "networks", "information",
            "digital", "data", "smart", "intelligent", "systems", "system", "telecom", "communication",
            "communications", "optical", "optoelectronics", "semiconductor",
        ]),
        (Trade.Machinery, ["machinery", "machine", "equipment", "manufacturing", "precision", "hardware", "metal", "metals", "steel", "tools"]),
        (Trade.Auto, ["automotive", "auto", "motor", "motors", "autoparts"]),
        (Trade.Food, ["food", "foods", "beverage", "beverages", "catering", "restaurant", "coffee", "dairy"]),
        (Trade.Agriculture, ["agriculture", "agricultural", "farm", "farming", "seeds"]),
        (Trade.Building, ["construction", "building", "decoration", "furniture", "realestate", "property", "properties", "ceramics", "design"]),
        (Trade.Logistics, ["logistics", "shipping", "freight", "express", "transport", "transportation", "supplychain", "airlines", "airline"]),
        (Trade.Medical, ["medical", "pharmaceutical", "pharmaceuticals", "pharma", "biotech", "biotechnology", "biological", "health", "healthcare", "hospital"]),
        (Trade.Education, ["education", "training", "school", "university", "college", "academy"]),
        (Trade.Media, ["culture", "media", "advertising", "entertainment", "film", "design", "printing"]),
        (Trade.Textile, ["textile", "textiles", "garment", "garments", "apparel", "fashion", "shoes", "leather"]),
        (Trade.Materials, ["materials", "material", "chemical", "chemicals", "plastic", "plastics", "packaging", "paper", "printing", "glass"]),
        (Trade.Energy, ["energy", "environmental", "solar", "power", "petroleum", "petrochemical"]),
        (Trade.Hospitality, ["hotel", "hotels", "travel", "tourism", "resort"]),
        (Trade.Finance, ["bank", "insurance", "securities", "capital", "finance", "financial", "fund", "asset"]),
        (Trade.Retail, ["supermarket", "retail", "store", "stores", "mall"]),
        (Trade.Services, ["lawfirm", "legal", "accounting", "consultancy", "cleaning", "security", "staffing"]),
    ];

    private static readonly FrozenDictionary<char, Word[]> ByFirstChar = Build();

    /// <summary>
    /// The longest generic word <paramref name="text"/> starts with: its length (0 when none) and the trade it names.
    /// </summary>
    public static int Match(ReadOnlySpan<char> text, out Trade trade)
    {
        if (!text.IsEmpty && ByFirstChar.TryGetValue(text[0], out var words))
        {
            foreach (var word in words)
            {
                if (text.StartsWith(word.Text, StringComparison.Ordinal))
                {
                    trade = word.Trade;
                    return word.Text.Length;
                }
            }
        }

        trade = Trade.None;
        return 0;
    }

    /// <summary>Every generic word that starts with <paramref name="first"/>, longest first.</summary>
    public static ReadOnlySpan<Word> StartingWith(char first) =>
        ByFirstChar.TryGetValue(first, out var words) ? words : [];

    /// <summary>Sets <c>ends[length]</c> for every generic word of that length <paramref name="text"/> starts with.</summary>
    public static void MarkEnds(ReadOnlySpan<char> text, Span<bool> ends)
    {
        if (text.IsEmpty || !ByFirstChar.TryGetValue(text[0], out var words))
            return;

        foreach (var word in words)
        {
            if (text.StartsWith(word.Text, StringComparison.Ordinal))
                ends[word.Text.Length] = true;
        }
    }

    /// <summary>Every Chinese generic word (for tests and documentation).</summary>
    public static IEnumerable<string> ChineseWords =>
        ByFirstChar.Values.SelectMany(words => words).Select(word => word.Text).Where(text => !char.IsAsciiLetter(text[0]));

    private static FrozenDictionary<char, Word[]> Build()
    {
        var trades = new Dictionary<string, Trade>(StringComparer.Ordinal);
        foreach (var word in Broad)
            trades.TryAdd(word, Trade.None);
        foreach (var (trade, words) in Specific.Concat(Latin))
        {
            foreach (var word in words)
                trades[word] = trades.GetValueOrDefault(word) | trade;
        }

        return trades
            .GroupBy(pair => pair.Key[0])
            .ToFrozenDictionary(
                group => group.Key,
                group => group
                    .OrderByDescending(pair => pair.Key.Length)
                    .ThenBy(pair => pair.Key, StringComparer.Ordinal)
                    .Select(pair => new Word(pair.Key, pair.Value))
                    .ToArray());
    }

    internal readonly record struct Word(string Text, Trade Trade)
    {
        /// <summary>
        /// The word's characters as bits of <see cref="NameProfile.Words"/> (a stable hash per character), so that
        /// a compound and its part (网络技术, 网络; 餐饮管理, 餐饮) share bits.
        /// </summary>
        public ulong Mark { get; } = Marks(Text);

        private static ulong Marks(string text)
        {
            var marks = 0UL;
            foreach (var c in text)
                marks |= 1UL << (int)((c * 2654435761u) >> 26);
            return marks;
        }
    }
}
