using Harbor.Domain.Policy;

namespace Harbor.Domain.Tests.Policy;

public class PolicySettingsTests
{
    // RULES.md, "Harbor's exact reading (defaults)".
    [Fact]
    public void Defaults_AreTheReadingOfRules()
    {
        var policy = new PolicySettings();

        Assert.Equal("Asia/Shanghai", policy.TimeZone);
        Assert.Equal(15, policy.SlotLimit);
        Assert.Equal(15, policy.ProtectionDays);
        Assert.Equal(new TimeOnly(9, 0), policy.ReminderTime);
        Assert.Equal(new TimeOnly(10, 0), policy.PublicationTime);
        Assert.Equal(30, policy.ReclaimCoolDownDays);
        Assert.Equal(1, policy.ExtensionsPerMonth);
        Assert.Equal(5, policy.ManagerMaxExtensionDays);
        Assert.Equal(
            ["phone-call", "first-meeting", "phone-follow-up", "second-meeting", "objection-call", "closing-meeting", "signed"],
            policy.Stages);
    }

    [Fact]
    public void Validate_Defaults_NoProblems()
    {
        Assert.Empty(new PolicySettings().Validate());
    }

    [Fact]
    public void Validate_EveryNumberAtItsBoundary_NoProblems()
    {
        Assert.Empty(new PolicySettings { SlotLimit = 1, ProtectionDays = 1, ReclaimCoolDownDays = 0, ExtensionsPerMonth = 0, ManagerMaxExtensionDays = 0, Stages = ["open", "signed"] }.Validate());
        Assert.Empty(new PolicySettings { SlotLimit = PolicySettings.MaxSlotLimit, ProtectionDays = PolicySettings.MaxProtectionDays, ManagerMaxExtensionDays = 15 }.Validate());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(PolicySettings.MaxSlotLimit + 1)]
    public void Validate_SlotLimitOutOfRange_NamesSlotLimit(int slotLimit)
    {
        var problem = Assert.Single(new PolicySettings { SlotLimit = slotLimit }.Validate());

        Assert.Equal("SlotLimit must be between 1 and 1000.", problem);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-15)]
    [InlineData(PolicySettings.MaxProtectionDays + 1)]
    public void Validate_ProtectionDaysOutOfRange_NamesProtectionDays(int days)
    {
        var problem = Assert.Single(new PolicySettings { ProtectionDays = days }.Validate());

        Assert.Equal("ProtectionDays must be between 1 and 365.", problem);
    }

    [Fact]
    public void Validate_NegativeCoolDown_NamesReclaimCoolDownDays()
    {
        var problem = Assert.Single(new PolicySettings { ReclaimCoolDownDays = -1 }.Validate());

        Assert.Contains("ReclaimCoolDownDays", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NegativeExtensionsPerMonth_NamesExtensionsPerMonth()
    {
        var problem = Assert.Single(new PolicySettings { ExtensionsPerMonth = -1 }.Validate());

        Assert.Contains("ExtensionsPerMonth", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(16)]
    public void Validate_ManagerExtensionDaysOutOfRange_NamesManagerMaxExtensionDays(int days)
    {
        var problem = Assert.Single(new PolicySettings { ManagerMaxExtensionDays = days }.Validate());

        Assert.Contains("ManagerMaxExtensionDays", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ManagerDaysAboveALoweredMaximum_NamesManagerMaxExtensionDays()
    {
        var problem = Assert.Single(new PolicySettings { MaxExtensionDays = 3 }.Validate());

        Assert.Contains("ManagerMaxExtensionDays", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_OneStage_NamesStages()
    {
        var problem = Assert.Single(new PolicySettings { Stages = ["signed"] }.Validate());

        Assert.Contains("Stages", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SeveralInvalidValues_OneProblemEach()
    {
        var problems = new PolicySettings { SlotLimit = 0, ProtectionDays = 0, ReclaimCoolDownDays = -1, ExtensionsPerMonth = -1, ManagerMaxExtensionDays = -1, Stages = [] }.Validate();

        Assert.Equal(6, problems.Count());
    }

    [Theory]
    [InlineData("Asia/Shanghia")]
    [InlineData("")]
    public void Validate_UnknownTimeZone_NamesTimeZone(string zone)
    {
        var problem = Assert.Single(new PolicySettings { TimeZone = zone }.Validate());

        Assert.Contains("TimeZone", problem, StringComparison.Ordinal);
    }
}
