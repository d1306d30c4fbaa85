using System.Globalization;
using CreditRisk.Training.Pipeline;
using Microsoft.Extensions.Options;

namespace CreditRisk.Training.Triggers;

/// <summary>
/// Starts one run per configured model in each schedule slot, the slot's start as its cut-off. Every replica does
/// it; the request id <c>schedule:&lt;model&gt;:&lt;slot start&gt;</c> makes them create one run. The current slot is
/// created at start-up too, so a slot that began while no replica ran is not lost.
/// </summary>
public sealed class PipelineScheduler(
    IOptions<ScheduleOptions> options,
    ModelCatalog models,
    PipelineRunStarter starter,
    TimeProvider time,
    ILogger<PipelineScheduler> logger) : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);

    public static string RequestIdOf(string modelName, DateTimeOffset slotStart) =>
        $"schedule:{modelName}:{slotStart.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)}";

    public static DateTimeOffset SlotStartOf(DateTimeOffset instant, TimeSpan interval)
    {
        var sinceEpoch = instant.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        return DateTimeOffset.UnixEpoch.AddTicks(sinceEpoch - sinceEpoch % interval.Ticks);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.Interval is not { } interval || interval <= TimeSpan.Zero)
        {
            return;
        }
        logger.LogInformation("Scheduling a run of each of {Models} every {Interval}", string.Join(", ", models.Names), interval);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var slot = SlotStartOf(time.GetUtcNow(), interval);
                while (!await TryStartSlotAsync(slot, stoppingToken) && time.GetUtcNow() + RetryDelay < slot + interval)
                {
                    await Task.Delay(RetryDelay, time, stoppingToken);
                }
                var untilNext = slot + interval - time.GetUtcNow();
                if (untilNext > TimeSpan.Zero)
                {
                    await Task.Delay(untilNext, time, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private async Task<bool> TryStartSlotAsync(DateTimeOffset slot, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var model in models.Names)
            {
                var (run, created) = await starter.StartAsync(
                    new RunRequest(model, RequestIdOf(model, slot), RunTriggers.Schedule, Cutoff: slot), cancellationToken);
                if (created)
                {
                    logger.LogInformation("Scheduled run {RunId} of model {Model} for the slot starting {Slot:O}", run.RunId, model, slot);
                }
            }
            return true;
        }
        catch (Exception exception) when (exception is Npgsql.NpgsqlException or TimeoutException)
        {
            logger.LogWarning(exception, "Could not start the scheduled runs of the slot starting {Slot:O}; trying again", slot);
            return false;
        }
    }
}
