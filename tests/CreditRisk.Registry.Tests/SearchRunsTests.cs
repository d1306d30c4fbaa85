using CreditRisk.Contracts.Registry.V1;
using CreditRisk.Registry.Tests.Support;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace CreditRisk.Registry.Tests;

/// <summary>25 runs with known metrics, params, tags and attributes; every answer is checked against LINQ over the same data.</summary>
public sealed class SearchRunsTests(SearchRunsTests.SeededRegistry seeded) : IClassFixture<SearchRunsTests.SeededRegistry>
{
    public sealed record SeededRun(string RunId, string Name, double Auc, double? Loss, string Learner, string Team, bool Finished, DateTime StartTime);

    public sealed class SeededRegistry(CreditRisk.Testing.Kafka.DevBrokerFixture broker) : IAsyncLifetime
    {
        private readonly RegistryFixture _registry = new(broker);

        public RegistryService.RegistryServiceClient Client => _registry.Host.Admin;

        public string ExperimentId { get; private set; } = "";

        public List<SeededRun> Runs { get; } = [];

        public async ValueTask InitializeAsync()
        {
            await _registry.InitializeAsync();
            var experiment = await Seed.ExperimentAsync(Client);
            ExperimentId = experiment.ExperimentId;
            var t0 = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
            for (var i = 0; i < 25; i++)
            {
                var start = t0.AddMinutes(i * 7 % 25);
                var run = await Client.CreateRunAsync(new CreateRunRequest
                {
                    ExperimentId = ExperimentId,
                    Name = $"run-{i:00}",
                    StartTime = Timestamp.FromDateTime(start),
                });
                var seededRun = new SeededRun(run.RunId, run.Name, i / 100.0, i % 2 == 0 ? 1 - i / 50.0 : null,
                    i % 3 == 0 ? "fasttree" : "lightgbm", i % 2 == 0 ? "Risk-A" : "risk-b", i % 4 == 0, start);
                var batch = new LogBatchRequest
                {
                    RunId = run.RunId,
                    Metrics = { new Metric { Key = "auc", Value = seededRun.Auc } },
                    Params = { ["learner"] = seededRun.Learner },
                    Tags = { ["team"] = seededRun.Team },
                };
                if (seededRun.Loss is { } loss)
                {
                    batch.Metrics.Add(new Metric { Key = "loss", Value = loss });
                }
                await Client.LogBatchAsync(batch);
                if (seededRun.Finished)
                {
                    await Client.UpdateRunAsync(new UpdateRunRequest { RunId = run.RunId, Status = RunStatus.Finished });
                }
                Runs.Add(seededRun);
            }
        }

        public ValueTask DisposeAsync() => _registry.DisposeAsync();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<List<Run>> SearchAllAsync(string filter, int pageSize = 100, params string[] orderBy)
    {
        var runs = new List<Run>();
        var token = "";
        do
        {
            var page = await seeded.Client.SearchRunsAsync(new SearchRunsRequest
            {
                ExperimentIds = { seeded.ExperimentId },
                Filter = filter,
                OrderBy = { orderBy },
                PageSize = pageSize,
                PageToken = token,
            }, cancellationToken: Ct);
            Assert.True(page.Runs.Count <= pageSize);
            runs.AddRange(page.Runs);
            token = page.NextPageToken;
        }
        while (token != "");
        return runs;
    }

    private static HashSet<string> Ids(IEnumerable<SeededRun> runs) => runs.Select(run => run.RunId).ToHashSet();

    public static TheoryData<string, string> Filters => new()
    {
        { "metrics.auc > 0.1", "auc>0.1" },
        { "metrics.auc >= 0.1", "auc>=0.1" },
        { "metrics.auc < 0.05", "auc<0.05" },
        { "metrics.auc <= 0.05", "auc<=0.05" },
        { "metrics.auc = 0.07", "auc=0.07" },
        { "metrics.auc != 0.07", "auc!=0.07" },
        { "metrics.loss < 0.8", "loss<0.8" },
        { "params.learner = 'fasttree'", "learner=fasttree" },
        { "params.learner != 'fasttree'", "learner!=fasttree" },
        { "params.learner LIKE 'light%'", "learner like light%" },
        { "tags.team LIKE 'risk%'", "team like risk%" },
        { "tags.team ILIKE 'risk%'", "team ilike risk%" },
        { "attributes.status = 'FINISHED'", "finished" },
        { "attributes.run_name LIKE 'run-1%'", "name like run-1%" },
        { "metrics.auc > 0.1 AND params.learner = 'fasttree' and tags.team = 'Risk-A'", "and" },
        { "metrics.`auc` > 0.2", "backquoted" },
        { "attributes.start_time >= 1735690800000", "start>=00:20" },
    };

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task Filters_select_exactly_the_matching_runs(string filter, string label)
    {
        var expected = label switch
        {
            "auc>0.1" => seeded.Runs.Where(r => r.Auc > 0.1),
            "auc>=0.1" => seeded.Runs.Where(r => r.Auc >= 0.1),
            "auc<0.05" => seeded.Runs.Where(r => r.Auc < 0.05),
            "auc<=0.05" => seeded.Runs.Where(r => r.Auc <= 0.05),
            "auc=0.07" => seeded.Runs.Where(r => r.Auc == 0.07),
            "auc!=0.07" => seeded.Runs.Where(r => r.Auc != 0.07),
            "loss<0.8" => seeded.Runs.Where(r => r.Loss < 0.8),
            "learner=fasttree" => seeded.Runs.Where(r => r.Learner == "fasttree"),
            "learner!=fasttree" => seeded.Runs.Where(r => r.Learner != "fasttree"),
            "learner like light%" => seeded.Runs.Where(r => r.Learner.StartsWith("light", StringComparison.Ordinal)),
            "team like risk%" => seeded.Runs.Where(r => r.Team.StartsWith("risk", StringComparison.Ordinal)),
            "team ilike risk%" => seeded.Runs,
            "finished" => seeded.Runs.Where(r => r.Finished),
            "name like run-1%" => seeded.Runs.Where(r => r.Name.StartsWith("run-1", StringComparison.Ordinal)),
            "and" => seeded.Runs.Where(r => r.Auc > 0.1 && r.Learner == "fasttree" && r.Team == "Risk-A"),
            "backquoted" => seeded.Runs.Where(r => r.Auc > 0.2),
            "start>=00:20" => seeded.Runs.Where(r => r.StartTime >= new DateTime(2025, 1, 1, 0, 20, 0, DateTimeKind.Utc)),
            _ => throw new ArgumentOutOfRangeException(nameof(label)),
        };

        var found = await SearchAllAsync(filter);

        Assert.Equal(Ids(expected).Order(), found.Select(run => run.RunId).Order());
        Assert.NotEmpty(found);
    }

    [Theory]
    [InlineData("metrics.loss ASC", false)]
    [InlineData("metrics.loss DESC", true)]
    public async Task Ordering_by_a_metric_puts_runs_without_it_last_and_pages_see_every_run_once(string orderBy, bool descending)
    {
        var withLoss = seeded.Runs.Where(r => r.Loss is not null);
        var ordered = descending
            ? withLoss.OrderByDescending(r => r.Loss).ThenByDescending(r => Guid.Parse(r.RunId))
            : withLoss.OrderBy(r => r.Loss).ThenBy(r => Guid.Parse(r.RunId));
        var withoutLoss = seeded.Runs.Where(r => r.Loss is null);
        // PostgreSQL orders uuids bytewise, as .NET does for the string form.
        var missing = descending
            ? withoutLoss.OrderByDescending(r => r.RunId, StringComparer.Ordinal)
            : withoutLoss.OrderBy(r => r.RunId, StringComparer.Ordinal);
        var expected = ordered.Select(r => r.RunId).Concat(missing.Select(r => r.RunId)).ToList();

        var found = await SearchAllAsync("", 4, orderBy);

        Assert.Equal(expected, found.Select(run => run.RunId));
    }

    [Fact]
    public async Task Filter_on_one_metric_ordered_by_another_pages_through_exactly_the_matches()
    {
        var expected = seeded.Runs.Where(r => r.Auc >= 0.05)
            .OrderBy(r => r.Loss is null).ThenByDescending(r => r.Loss).ThenByDescending(r => r.RunId, StringComparer.Ordinal)
            .Select(r => r.RunId).ToList();

        var found = await SearchAllAsync("metrics.auc >= 0.05", 3, "metrics.loss DESC");

        Assert.Equal(expected, found.Select(run => run.RunId));
        Assert.All(found, run => Assert.Equal(seeded.Runs.Single(r => r.RunId == run.RunId).Auc, run.Metrics["auc"]));
    }

    [Fact]
    public async Task Default_order_is_newest_first_and_attributes_order_too()
    {
        var byStartDescending = seeded.Runs.OrderByDescending(r => r.StartTime).Select(r => r.RunId).ToList();
        Assert.Equal(byStartDescending, (await SearchAllAsync("", 7)).Select(run => run.RunId));

        var byName = seeded.Runs.OrderBy(r => r.Name, StringComparer.Ordinal).Select(r => r.RunId).ToList();
        Assert.Equal(byName, (await SearchAllAsync("", 10, "attributes.run_name ASC")).Select(run => run.RunId));

        var byParamThenAuc = seeded.Runs.OrderBy(r => r.Learner, StringComparer.Ordinal).ThenByDescending(r => r.Auc).Select(r => r.RunId).ToList();
        Assert.Equal(byParamThenAuc, (await SearchAllAsync("", 6, "params.learner", "metrics.auc DESC")).Select(run => run.RunId));
    }

    [Fact]
    public async Task A_page_token_only_works_for_its_own_query()
    {
        var first = await seeded.Client.SearchRunsAsync(new SearchRunsRequest { ExperimentIds = { seeded.ExperimentId }, PageSize = 5 }, cancellationToken: Ct);
        Assert.NotEmpty(first.NextPageToken);

        var other = await Seed.RefusedAsync(() => seeded.Client.SearchRunsAsync(new SearchRunsRequest
        {
            ExperimentIds = { seeded.ExperimentId },
            Filter = "metrics.auc > 0",
            PageSize = 5,
            PageToken = first.NextPageToken,
        }, cancellationToken: Ct).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, other.StatusCode);
        Assert.Contains("page_token", other.Status.Detail);

        var garbage = await Seed.RefusedAsync(() => seeded.Client.SearchRunsAsync(new SearchRunsRequest
        {
            ExperimentIds = { seeded.ExperimentId },
            PageToken = "not-a-token!",
        }, cancellationToken: Ct).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, garbage.StatusCode);
    }

    [Theory]
    [InlineData("metrics.auc >> 0.1", "operator")]
    [InlineData("metrics.auc LIKE '0.1%'", "LIKE")]
    [InlineData("metrics.auc > 'high'", "number")]
    [InlineData("params.learner = fasttree", "quoted")]
    [InlineData("model.auc = 1", "unknown entity")]
    [InlineData("metrics.auc > 0.1 OR metrics.auc < 0.05", "AND")]
    [InlineData("params.learner = 'fasttree", "unterminated")]
    [InlineData("attributes.colour = 'red'", "unknown attribute")]
    [InlineData("metrics.auc > 0; DROP TABLE runs", "AND")]
    public async Task Bad_filters_are_refused_with_the_reason(string filter, string reason)
    {
        var refused = await Seed.RefusedAsync(() => seeded.Client.SearchRunsAsync(new SearchRunsRequest
        {
            ExperimentIds = { seeded.ExperimentId },
            Filter = filter,
        }, cancellationToken: Ct).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.StartsWith("filter:", refused.Status.Detail);
        Assert.Contains(reason, refused.Status.Detail);
    }

    [Fact]
    public async Task Values_are_data_never_sql()
    {
        var injected = await SearchAllAsync("params.learner = 'x'' OR ''1''=''1' AND tags.`team'; DROP TABLE runs; --` != 'y'");
        Assert.Empty(injected);

        // The runs table is still there and whole.
        Assert.Equal(seeded.Runs.Count, (await SearchAllAsync("")).Count);
    }
}
