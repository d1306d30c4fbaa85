using System.Text;
using CreditRisk.Contracts.Common.V1;
using CreditRisk.Contracts.Events.V1;
using CreditRisk.Contracts.Topics;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace CreditRisk.Features.Bench;

/// <summary>One serialised raw record, ready to produce.</summary>
internal sealed record BenchRecord(string Topic, byte[] Key, byte[] Value, byte[] MessageType);

/// <summary>
/// A seeded stream of raw events in event-time order over many customers: 70 % transactions, 25 % repayments,
/// 5 % loan applications — roughly a card-issuing lender's mix.
/// </summary>
internal static class BenchEvents
{
    public static (List<BenchRecord> Records, List<(string Customer, string Application)> Applications) Generate(
        int count, int customers, TimeSpan span, int seed = 42)
    {
        var random = new Random(seed);
        var end = DateTimeOffset.UtcNow;
        var start = end - span;
        var records = new List<BenchRecord>(count);
        var applications = new List<(string, string)>();
        for (var i = 0; i < count; i++)
        {
            var customer = $"bench-{random.Next(customers)}";
            var time = start + TimeSpan.FromTicks(span.Ticks / count * i);
            var envelope = new EventEnvelope
            {
                EventId = Guid.CreateVersion7().ToString(),
                EntityKey = customer,
                EventTime = Timestamp.FromDateTimeOffset(time),
                RecordedTime = Timestamp.FromDateTimeOffset(time.AddSeconds(2)),
                Source = "features-bench",
                SchemaVersion = EventEnvelopeFactory.CurrentSchemaVersion,
            };
            var kind = random.Next(100);
            IIntegrationEvent @event;
            if (kind < 5)
            {
                var applicationId = $"{customer}-A{i}";
                applications.Add((customer, applicationId));
                @event = new LoanApplicationSubmitted
                {
                    Envelope = envelope,
                    ApplicationId = applicationId,
                    CustomerId = customer,
                    Application = new LoanApplication
                    {
                        Amount = 500 + random.Next(5_000), TermMonths = 12 * (1 + random.Next(5)), Price = 1_000 + random.Next(8_000),
                        Income = 800 + random.Next(3_000), Expenses = 300 + random.Next(600), Assets = random.Next(20_000), Debt = random.Next(3_000),
                        AgeYears = 20 + random.Next(50), SeniorityYears = random.Next(30), Home = HomeOwnership.Rent,
                        Marital = MaritalStatus.Single, Job = JobType.Fixed, HasPriorDefaultRecords = random.Next(10) == 0,
                    },
                };
            }
            else if (kind < 30)
            {
                var daysPastDue = random.Next(5) == 0 ? random.Next(1, 90) : 0;
                @event = new RepaymentRecorded
                {
                    Envelope = envelope, RepaymentId = $"R{i}", LoanId = $"L-{customer}", CustomerId = customer,
                    DueDate = Timestamp.FromDateTimeOffset(time.AddDays(-daysPastDue)), PaidDate = Timestamp.FromDateTimeOffset(time),
                    AmountDue = 150, AmountPaid = 150, DaysPastDue = daysPastDue,
                };
            }
            else
            {
                @event = new TransactionRecorded
                {
                    Envelope = envelope, TransactionId = $"T{i}", CustomerId = customer,
                    Amount = Math.Round(random.NextDouble() * 600 - 400, 2), Currency = "EUR", Category = "groceries",
                };
            }
            records.Add(new BenchRecord(
                TopicCatalogue.For(@event.Descriptor).Name,
                Encoding.UTF8.GetBytes(customer),
                @event.ToByteArray(),
                Encoding.UTF8.GetBytes(@event.Descriptor.FullName)));
        }
        return (records, applications);
    }
}
