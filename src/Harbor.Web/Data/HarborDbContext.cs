using Harbor.Domain.Access;
using Harbor.Domain.Cooperation;
using Harbor.Domain.Customers;
using Harbor.Domain.Extensions;
using Harbor.Domain.Orders;
using Harbor.Domain.Duplicates;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Harbor.Web.Data;

/// <summary>
/// The master registry. One model, two providers: each provider has its own derived context and
/// migrations folder (ADR-001), so the model itself is written once, here.
/// </summary>
public abstract class HarborDbContext(DbContextOptions options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<Customer> Customers => Set<Customer>();
    public DbSet<CustomerEvent> CustomerEvents => Set<CustomerEvent>();
    public DbSet<User> Users => Set<User>();
    public DbSet<Group> Groups => Set<Group>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<Notification> Notifications => Set<Notification>();
    public DbSet<Publication> Publications => Set<Publication>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<ExtensionRequest> Extensions => Set<ExtensionRequest>();
    public DbSet<CooperationAgreement> Cooperations => Set<CooperationAgreement>();
    public DbSet<FollowUp> FollowUps => Set<FollowUp>();
    public DbSet<CustomerNameGram> CustomerNameGrams => Set<CustomerNameGram>();
    public DbSet<RegistrationReview> Reviews => Set<RegistrationReview>();
    public DbSet<Order> Orders => Set<Order>();
    public DbSet<OrderCredit> OrderCredits => Set<OrderCredit>();
    public DbSet<ImportRecord> ImportRecords => Set<ImportRecord>();
    public DbSet<RegistrySetting> RegistrySettings => Set<RegistrySetting>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<GroupBot> GroupBots => Set<GroupBot>();
    public DbSet<BotPacing> BotPaces => Set<BotPacing>();
    public DbSet<NotificationPreference> NotificationPreferences => Set<NotificationPreference>();

    /// <summary>ASP.NET Core Data Protection's keys on PostgreSQL, shared by every instance (ADR-009).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>Appends a line to the audit trail in the current unit of work.</summary>
    public void Audit(DateTimeOffset at, Guid? actorId, string action, Guid? subjectId = null, string? details = null) =>
        AuditEntries.Add(new AuditEntry
        {
            At = at,
            ActorId = actorId,
            Action = action,
            SubjectId = subjectId,
            Details = details is { Length: > AuditEntry.MaxDetailsLength } ? details[..AuditEntry.MaxDetailsLength] : details,
        });

    /// <summary>New customers are indexed for the similar-name search in the same unit of work.</summary>
    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        IndexNewCustomers();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        IndexNewCustomers();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    private void IndexNewCustomers()
    {
        foreach (var entry in ChangeTracker.Entries<Customer>().Where(e => e.State == EntityState.Added).ToList())
            foreach (var gram in NameGrams.Of(CompanyName.Normalize(entry.Entity.Name)).Where(g => g.Length <= CustomerNameGram.MaxGramLength))
                CustomerNameGrams.Add(new CustomerNameGram { Gram = gram, CustomerId = entry.Entity.Id });
    }

    /// <summary>True when the exception is a lost race (unique index, concurrency token,
    /// serialization failure) that re-running the use case turns into a named refusal.</summary>
    public abstract bool IsLostRace(Exception exception);

    /// <summary>True on the embedded engine, whose writes Harbor serialises in the process.</summary>
    public abstract bool SerialisesWrites { get; }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<Role>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<CustomerStatus>().HaveConversion<string>().HaveMaxLength(24);
        configurationBuilder.Properties<CustomerEventKind>().HaveConversion<string>().HaveMaxLength(24);
        configurationBuilder.Properties<ExtensionStatus>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<CooperationStatus>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<ReviewStatus>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<OutboxChannel>().HaveConversion<string>().HaveMaxLength(16);
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Group>(group =>
        {
            group.Property(g => g.Name).HasMaxLength(Group.MaxNameLength);
            group.HasIndex(g => g.Name).IsUnique();
        });

        modelBuilder.Entity<User>(user =>
        {
            user.Property(u => u.Username).HasMaxLength(User.MaxUsernameLength);
            user.Property(u => u.UsernameKey).HasMaxLength(User.MaxUsernameLength);
            user.HasIndex(u => u.UsernameKey).IsUnique();
            user.Property(u => u.DisplayName).HasMaxLength(User.MaxDisplayNameLength);
            user.Property(u => u.Email).HasMaxLength(User.MaxEmailLength);
            user.Property(u => u.PasswordHash).HasMaxLength(200);
            user.Property(u => u.SlotVersion).IsConcurrencyToken();
            user.HasOne(u => u.Group).WithMany().HasForeignKey(u => u.GroupId).OnDelete(DeleteBehavior.Restrict);
        });

        modelBuilder.Entity<ApiToken>(token =>
        {
            token.Property(t => t.TokenHash).HasMaxLength(64);
            token.HasIndex(t => t.TokenHash).IsUnique();
            token.HasOne(t => t.User).WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<Customer>(customer =>
        {
            customer.Property(c => c.Name).HasMaxLength(CompanyName.MaxLength);
            customer.Property(c => c.NameKey).HasMaxLength(CompanyName.MaxLength);
            customer.Property(c => c.Phone).HasMaxLength(CustomerDetails.MaxPhoneLength);
            customer.Property(c => c.PhoneKey).HasMaxLength(CustomerDetails.MaxPhoneLength);
            customer.Property(c => c.CreditCode).HasMaxLength(CustomerDetails.MaxCreditCodeLength);
            customer.Property(c => c.CreditCodeKey).HasMaxLength(CustomerDetails.MaxCreditCodeLength);
            customer.Property(c => c.ContactName).HasMaxLength(CustomerDetails.MaxContactNameLength);
            customer.Property(c => c.Address).HasMaxLength(CustomerDetails.MaxAddressLength);
            customer.Property(c => c.Notes).HasMaxLength(CustomerDetails.MaxNotesLength);
            customer.Property(c => c.Stage).HasMaxLength(40);
            customer.Property(c => c.Version).IsConcurrencyToken();

            // Rule 3's exact conflict, guarded by the database: one customer per key.
            customer.HasIndex(c => c.NameKey).IsUnique();
            customer.HasIndex(c => c.PhoneKey).IsUnique().HasFilter("\"PhoneKey\" IS NOT NULL");
            customer.HasIndex(c => c.CreditCodeKey).IsUnique().HasFilter("\"CreditCodeKey\" IS NOT NULL");
            customer.HasIndex(c => new { c.OwnerId, c.Status });
            customer.HasIndex(c => new { c.Status, c.ReleaseAt });
            customer.HasIndex(c => new { c.Status, c.PublishAt });
            customer.HasIndex(c => new { c.Status, c.PublishedAt });
            // The sweep's reminders (Sweep.NeedReminder): only protections not yet reminded of their due date. An
            // index on (Status, RemindAt) also held every reminded row, which the reminders' pick walked from 09:00 to
            // the next day's 10:00 to find nothing (100,000 rows a minute at 1,000,000 customers), and which every
            // release had to rewrite. The filter is the query's condition as EF writes it, so that SQLite can use it; Status
            // leads although constant so that SQLite prefers it without statistics (an equality, and the pick's order).
            customer.HasIndex(c => new { c.Status, c.RemindAt }, "IX_Customers_ToRemind")
                .HasFilter("\"Status\" = 'Protected' AND (\"RemindedFor\" IS NULL OR \"RemindedFor\" <> \"DueOn\" OR \"DueOn\" IS NULL)");
            customer.HasOne<User>().WithMany().HasForeignKey(c => c.OwnerId).OnDelete(DeleteBehavior.Restrict);
            // Issue 6: a merged customer points to the one it was merged into; the history reads both. No
            // foreign key: on SQLite adding one rebuilds the whole table, and the merge use case sets the pointer.
            customer.HasIndex(c => c.MergedIntoId);

            customer.HasMany(c => c.History).WithOne().HasForeignKey(e => e.CustomerId).OnDelete(DeleteBehavior.Restrict);
            customer.Navigation(c => c.History).UsePropertyAccessMode(PropertyAccessMode.Field);
        });

        modelBuilder.Entity<Notification>(n =>
        {
            n.Property(x => x.Kind).HasMaxLength(Notification.MaxKindLength);
            n.HasIndex(x => new { x.UserId, x.CreatedAt });
            n.HasOne<User>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<OutboxMessage>(m =>
        {
            m.Property(x => x.Key).HasMaxLength(OutboxMessage.MaxKeyLength);
            m.HasIndex(x => x.Key).IsUnique();
            m.Property(x => x.Kind).HasMaxLength(Notification.MaxKindLength);
            m.Property(x => x.Target).HasMaxLength(OutboxMessage.MaxTargetLength);
            m.Property(x => x.Subject).HasMaxLength(OutboxMessage.MaxSubjectLength);
            m.Property(x => x.LastError).HasMaxLength(OutboxMessage.MaxErrorLength);
            // The dispatcher's question: what is due and not yet sent or given up.
            m.HasIndex(x => x.DueAt).HasFilter("\"SentAt\" IS NULL AND \"GaveUpAt\" IS NULL");
            m.HasIndex(x => x.LastAttemptAt).HasFilter("\"SentAt\" IS NULL AND \"LastError\" IS NOT NULL");
        });

        modelBuilder.Entity<GroupBot>(b =>
        {
            b.HasKey(x => x.GroupId);
            b.Property(x => x.ProtectedUrl).HasMaxLength(GroupBot.MaxProtectedLength);
            b.Property(x => x.ProtectedSecret).HasMaxLength(GroupBot.MaxProtectedLength);
            b.Property(x => x.UrlHint).HasMaxLength(GroupBot.MaxHintLength);
            b.HasOne<Group>().WithOne().HasForeignKey<GroupBot>(x => x.GroupId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<BotPacing>(p =>
        {
            p.HasKey(x => x.Target);
            p.Property(x => x.Target).HasMaxLength(BotPacing.MaxTargetLength);
            p.Property(x => x.Version).IsConcurrencyToken();
        });

        modelBuilder.Entity<NotificationPreference>(p =>
        {
            p.HasKey(x => x.UserId);
            p.Property(x => x.Culture).HasMaxLength(10);
            p.Property(x => x.MutedKinds).HasMaxLength(NotificationPreference.MaxMutedLength);
            p.HasOne<User>().WithOne().HasForeignKey<NotificationPreference>(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<Publication>(p =>
        {
            p.HasKey(x => x.At);
            p.Property(x => x.Customers).IsConcurrencyToken();
        });

        modelBuilder.Entity<ExtensionRequest>(x =>
        {
            x.Property(e => e.Reason).HasMaxLength(ExtensionRequest.MaxReasonLength);
            x.Property(e => e.Comment).HasMaxLength(ExtensionRequest.MaxReasonLength);
            x.Property(e => e.Version).IsConcurrencyToken();
            x.HasIndex(e => new { e.SalespersonId, e.Month, e.Status });
            x.HasIndex(e => new { e.Status, e.GroupId, e.RequestedAt });
            x.HasIndex(e => new { e.CustomerId, e.Status });
            x.HasOne<Customer>().WithMany().HasForeignKey(e => e.CustomerId).OnDelete(DeleteBehavior.Restrict);
            x.HasOne<User>().WithMany().HasForeignKey(e => e.SalespersonId).OnDelete(DeleteBehavior.Restrict);
        });

        modelBuilder.Entity<CooperationAgreement>(x =>
        {
            x.ToTable("Cooperations");
            x.Property(c => c.Comment).HasMaxLength(CooperationAgreement.MaxCommentLength);
            x.Property(c => c.Version).IsConcurrencyToken();
            x.HasIndex(c => new { c.CustomerId, c.Status });
            x.HasIndex(c => new { c.PartnerId, c.Status });
            x.HasIndex(c => new { c.OwnerGroupId, c.ProposedAt });
            x.HasOne<Customer>().WithMany().HasForeignKey(c => c.CustomerId).OnDelete(DeleteBehavior.Restrict);
            x.HasOne<User>().WithMany().HasForeignKey(c => c.PartnerId).OnDelete(DeleteBehavior.Restrict);
        });

        modelBuilder.Entity<RegistrationReview>(r =>
        {
            r.Property(x => x.Name).HasMaxLength(CompanyName.MaxLength);
            r.Property(x => x.NameKey).HasMaxLength(CompanyName.MaxLength);
            r.Property(x => x.Phone).HasMaxLength(CustomerDetails.MaxPhoneLength);
            r.Property(x => x.PhoneKey).HasMaxLength(CustomerDetails.MaxPhoneLength);
            r.Property(x => x.CreditCode).HasMaxLength(CustomerDetails.MaxCreditCodeLength);
            r.Property(x => x.CreditCodeKey).HasMaxLength(CustomerDetails.MaxCreditCodeLength);
            r.Property(x => x.ContactName).HasMaxLength(CustomerDetails.MaxContactNameLength);
            r.Property(x => x.Address).HasMaxLength(CustomerDetails.MaxAddressLength);
            r.Property(x => x.Notes).HasMaxLength(CustomerDetails.MaxNotesLength);
            r.Property(x => x.CandidateIds).HasMaxLength(400);
            r.Property(x => x.Version).IsConcurrencyToken();
            // While it waits, the name (and phone and code) are reserved: one pending review per key.
            r.HasIndex(x => x.NameKey).IsUnique().HasFilter("\"Status\" = 'Pending'");
            r.HasIndex(x => x.PhoneKey).IsUnique().HasFilter("\"Status\" = 'Pending' AND \"PhoneKey\" IS NOT NULL");
            r.HasIndex(x => x.CreditCodeKey).IsUnique().HasFilter("\"Status\" = 'Pending' AND \"CreditCodeKey\" IS NOT NULL");
            r.HasIndex(x => new { x.Status, x.RequestedAt });
            r.HasIndex(x => new { x.SalespersonId, x.Status });
            r.HasOne<User>().WithMany().HasForeignKey(x => x.SalespersonId).OnDelete(DeleteBehavior.Restrict);
        });

        modelBuilder.Entity<ImportRecord>(x =>
        {
            x.ToTable("ImportReports");
            x.Property(r => r.FileName).HasMaxLength(ImportRecord.MaxFileNameLength);
            x.Property(r => r.Result).HasMaxLength(ImportRecord.MaxResultLength);
            x.HasIndex(r => r.At);
            x.HasOne<User>().WithMany().HasForeignKey(r => r.ActorId).OnDelete(DeleteBehavior.Restrict);
        });

        modelBuilder.Entity<RegistrySetting>(x =>
        {
            x.HasKey(r => r.Name);
            x.Property(r => r.Name).HasMaxLength(RegistrySetting.MaxNameLength);
            x.Property(r => r.Value).HasMaxLength(RegistrySetting.MaxValueLength);
        });

        modelBuilder.Entity<CustomerNameGram>(g =>
        {
            g.HasKey(x => new { x.Gram, x.CustomerId });
            g.Property(x => x.Gram).HasMaxLength(CustomerNameGram.MaxGramLength);
            // Finds a customer's grams (re-keying, IndexNamesAsync). No foreign key to Customers (ADR-013): a
            // customer is never deleted, so its cascade never ran, while its check on every gram was half the
            // grams' cost in a bulk import on PostgreSQL. On SQLite the table is WITHOUT ROWID (the migration
            // GramsWithoutForeignKey builds it so by raw SQL; EF has no API for it, and a later EF rebuild of
            // this table would lose it: NameGramSchemaTests fails then).
            g.HasIndex(x => x.CustomerId);
        });

        modelBuilder.Entity<FollowUp>(f =>
        {
            f.Property(x => x.Stage).HasMaxLength(40);
            f.Property(x => x.Note).HasMaxLength(FollowUp.MaxNoteLength);
            f.HasIndex(x => new { x.CustomerId, x.At });
            f.HasIndex(x => new { x.At, x.Stage });
            f.HasOne<Customer>().WithMany().HasForeignKey(x => x.CustomerId).OnDelete(DeleteBehavior.Restrict);
            f.HasOne<User>().WithMany().HasForeignKey(x => x.AuthorId).OnDelete(DeleteBehavior.Restrict);
        });

        modelBuilder.Entity<Order>(o =>
        {
            o.Property(x => x.Amount).HasPrecision(18, 2);
            o.Property(x => x.Currency).HasMaxLength(3);
            o.Property(x => x.Reason).HasMaxLength(40);
            o.HasIndex(x => new { x.SubmittedAt });
            o.HasIndex(x => new { x.CustomerId, x.SubmittedAt });
            o.HasIndex(x => new { x.SalespersonId, x.SubmittedAt });
            o.HasMany(x => x.Credits).WithOne().HasForeignKey(c => c.OrderId).OnDelete(DeleteBehavior.Restrict);
            o.Navigation(x => x.Credits).UsePropertyAccessMode(PropertyAccessMode.Field);
            o.HasOne<Customer>().WithMany().HasForeignKey(x => x.CustomerId).OnDelete(DeleteBehavior.Restrict);
        });

        modelBuilder.Entity<OrderCredit>(c =>
        {
            c.Property(x => x.Amount).HasPrecision(18, 2);
            c.HasIndex(x => x.SalespersonId);
        });

        modelBuilder.Entity<AuditEntry>(a =>
        {
            a.Property(x => x.Action).HasMaxLength(AuditEntry.MaxActionLength);
            a.Property(x => x.Details).HasMaxLength(AuditEntry.MaxDetailsLength);
            a.HasIndex(x => x.At);
            a.HasIndex(x => new { x.ActorId, x.At });
            a.HasIndex(x => new { x.SubjectId, x.At });
        });

        modelBuilder.Entity<CustomerEvent>(e =>
        {
            e.Property(x => x.Reason).HasMaxLength(CustomerEvent.MaxReasonLength);
            e.HasIndex(x => new { x.CustomerId, x.At });
            e.HasIndex(x => x.At);
            // The sweep appends two events per released customer with no actor, the publication with no salesperson:
            // indexed under NULL they were rows nobody looks up, written at 10:00 inside the release's transactions
            // (25 % of the history INSERT's WAL on PostgreSQL). Their readers all name the column with an equality or
            // IS NOT NULL (the audit by actor, the daily report and the claim's cool-down by salesperson), which
            // implies the filter on both engines (HistoryIndexTests; the plans are in docs/benchmarks.md, session 8).
            e.HasIndex(x => new { x.SalespersonId, x.CustomerId, x.Kind }).HasFilter("\"SalespersonId\" IS NOT NULL");
            e.HasIndex(x => new { x.ActorId, x.At }).HasFilter("\"ActorId\" IS NOT NULL");
        });
    }
}

public sealed class SqliteHarborDbContext(DbContextOptions<SqliteHarborDbContext> options) : HarborDbContext(options)
{
    public override bool SerialisesWrites => true;

    public override bool IsLostRace(Exception exception) => exception switch
    {
        DbUpdateConcurrencyException => true,
        // SQLITE_CONSTRAINT: a unique index refused a second row for one key.
        DbUpdateException { InnerException: Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 2067 or 1555 } } => true,
        _ => false,
    };

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);
        // SQLite has no instant type: store UTC ticks, so that instants compare and sort in SQL.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
        // SQLite has no decimal: money is stored in fen (分), an integer, so it sums and sorts in SQL.
        configurationBuilder.Properties<decimal>().HaveConversion<FenConverter>();
    }

    private sealed class FenConverter() : ValueConverter<decimal, long>(
        v => (long)(v * 100m),
        v => v / 100m);

    private sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
        v => v.UtcTicks,
        v => new DateTimeOffset(v, TimeSpan.Zero));
}

public sealed class PostgresHarborDbContext(DbContextOptions<PostgresHarborDbContext> options) : HarborDbContext(options)
{
    public override bool SerialisesWrites => false;

    public override bool IsLostRace(Exception exception) => exception switch
    {
        DbUpdateConcurrencyException => true,
        DbUpdateException { InnerException: Npgsql.PostgresException pg } => IsRaceState(pg.SqlState),
        Npgsql.PostgresException pg => IsRaceState(pg.SqlState),
        InvalidOperationException { InnerException: Npgsql.PostgresException pg } => IsRaceState(pg.SqlState),
        _ => false,
    };

    // 23505 unique_violation, 40001 serialization_failure, 40P01 deadlock_detected.
    private static bool IsRaceState(string state) => state is "23505" or "40001" or "40P01";

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);
        // timestamptz takes only UTC offsets; the calendar hands out local ones.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcConverter>();
    }

    private sealed class UtcConverter() : ValueConverter<DateTimeOffset, DateTimeOffset>(
        v => v.ToUniversalTime(),
        v => v);
}
