using Harbor.Domain.Access;
using Harbor.Web.Data;
using Harbor.Web.Features.Groups;
using Harbor.Web.Features.Registrations;
using Harbor.Web.Features.Users;
using Microsoft.EntityFrameworkCore;

namespace Harbor.Web.Features.Demo;

/// <summary>
/// <c>--seed-demo</c>: two groups, a clerk, a manager per group, a director and six salespeople
/// with some customers, all through the real use cases, so a newcomer sees Harbor working.
/// </summary>
public sealed class SeedDemo(HarborDbContext db, CreateGroup createGroup, CreateUser createUser, RegisterProspect register, ILogger<SeedDemo> logger)
{
    public const string Password = "Harbor-demo-2026";

    private static readonly string[][] Prospects =
    [
        ["北京星辰科技有限公司", "13800138001", "张伟"],
        ["上海云帆网络科技有限公司", "13900139002", "李娜"],
        ["深圳市海岳电子有限公司", "0755-88886666", "王强"],
        ["杭州青禾贸易有限公司", "13700137004", "刘洋"],
        ["广州南方物流股份有限公司", "020-66668888", "陈静"],
        ["成都天府软件有限公司", "13600136006", "杨帆"],
        ["武汉长江建材有限公司", "13500135007", "赵磊"],
        ["南京紫金咨询有限公司", "13400134008", "黄敏"],
        ["苏州工业园区晨曦医疗器械有限公司", "13300133009", "周杰"],
        ["重庆山城食品有限公司", "13200132010", "吴芳"],
        ["西安古城文化传媒有限公司", "13100131011", "郑涛"],
        ["天津港湾国际贸易有限公司", "022-23456789", "孙丽"],
    ];

    public async Task RunAsync(CancellationToken ct)
    {
        if (await db.Users.AnyAsync(u => u.UsernameKey == "clerk", ct))
        {
            logger.LogInformation("Demo data is already there; nothing seeded.");
            return;
        }

        var east = (await createGroup.HandleAsync(new CreateGroupRequest("华东组"), ct)).Value!;
        var south = (await createGroup.HandleAsync(new CreateGroupRequest("华南组"), ct)).Value!;
        var clerk = await User("clerk", "行政文员 陈琳", Role.Clerk, null, ct);
        await User("manager.east", "华东经理 王磊", Role.Manager, east.Id, ct);
        await User("manager.south", "华南经理 林芳", Role.Manager, south.Id, ct);
        await User("director", "销售总监 赵刚", Role.Director, null, ct);
        var salespeople = new List<Guid>();
        string[] names = ["张三", "李四", "王五", "赵六", "孙七", "周八"];
        for (var i = 0; i < names.Length; i++)
            salespeople.Add(await User($"sales{i + 1}", names[i], Role.Salesperson, i < 3 ? east.Id : south.Id, ct));

        var onBehalf = new Viewer(clerk, Role.Clerk, null);
        for (var i = 0; i < Prospects.Length; i++)
        {
            var p = Prospects[i];
            var result = await register.HandleAsync(onBehalf,
                new RegistrationRequest(new CustomerInput(p[0], p[1], null, p[2], null, null), salespeople[i % salespeople.Count], null), ct);
            if (!result.Succeeded)
                logger.LogWarning("Demo customer {Name} was refused: {Code}", p[0], result.Refusal.Code);
        }

        logger.LogWarning(
            "Demo data seeded. Every demo account has the password {Password}: clerk, director, manager.east, manager.south, sales1 ... sales6.",
            Password);
    }

    private async Task<Guid> User(string username, string displayName, Role role, Guid? groupId, CancellationToken ct)
    {
        var result = await createUser.HandleAsync(new CreateUserRequest(username, Password, displayName, role, groupId, $"{username}@example.invalid"), ct);
        return result.Succeeded ? result.Value.Id : throw new InvalidOperationException($"Demo user {username}: {result.Refusal.Code}");
    }
}
