using CreditRisk.Contracts.Common.V1;
using CreditRisk.Contracts.Events.V1;
using CreditRisk.Contracts.Ingestion.V1;
using Google.Protobuf.WellKnownTypes;

namespace CreditRisk.Ingestion.Tests.Support;

/// <summary>Valid submissions of each kind, each with a fresh event id and (by default) a fresh customer.</summary>
public static class TestRequests
{
    public static string NewCustomer() => "cust-" + Guid.NewGuid().ToString("N")[..12];

    public static EventEnvelope Envelope(string customerId, DateTimeOffset? eventTime = null) => new()
    {
        EventId = Guid.CreateVersion7().ToString(),
        EntityKey = customerId,
        EventTime = Timestamp.FromDateTimeOffset(eventTime ?? DateTimeOffset.UtcNow.AddMinutes(-1)),
        SchemaVersion = 1,
    };

    public static SubmitRequest Application(string? customerId = null)
    {
        var customer = customerId ?? NewCustomer();
        return new SubmitRequest
        {
            Application = new LoanApplicationSubmitted
            {
                Envelope = Envelope(customer),
                ApplicationId = "app-" + Guid.NewGuid().ToString("N")[..12],
                CustomerId = customer,
                Application = new LoanApplication
                {
                    Amount = 1000, TermMonths = 36, Price = 1250, Income = 130, Expenses = 75, Assets = 3000, Debt = 200,
                    AgeYears = 34, SeniorityYears = 5, Home = HomeOwnership.Owner, Marital = MaritalStatus.Married, Job = JobType.Fixed,
                },
            },
        };
    }

    public static SubmitRequest Transaction(string? customerId = null)
    {
        var customer = customerId ?? NewCustomer();
        return new SubmitRequest
        {
            Transaction = new TransactionRecorded
            {
                Envelope = Envelope(customer),
                TransactionId = "txn-" + Guid.NewGuid().ToString("N")[..12],
                CustomerId = customer,
                Amount = -42.5,
                Currency = "EUR",
                Category = "groceries",
            },
        };
    }

    public static SubmitRequest Repayment(string? customerId = null)
    {
        var customer = customerId ?? NewCustomer();
        var now = DateTimeOffset.UtcNow;
        return new SubmitRequest
        {
            Repayment = new RepaymentRecorded
            {
                Envelope = Envelope(customer, now.AddMinutes(-1)),
                RepaymentId = "rep-" + Guid.NewGuid().ToString("N")[..12],
                LoanId = "loan-1",
                CustomerId = customer,
                DueDate = Timestamp.FromDateTimeOffset(now.AddDays(-10)),
                PaidDate = Timestamp.FromDateTimeOffset(now.AddMinutes(-2)),
                AmountDue = 120,
                AmountPaid = 120,
                DaysPastDue = 10,
            },
        };
    }

    public static SubmitRequest Outcome(string? customerId = null)
    {
        var customer = customerId ?? NewCustomer();
        return new SubmitRequest
        {
            Outcome = new LoanOutcomeRecorded
            {
                Envelope = Envelope(customer),
                LoanId = "loan-1",
                ApplicationId = "app-1",
                CustomerId = customer,
                Outcome = LoanOutcome.Defaulted,
                ApplicationTime = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddMonths(-9)),
            },
        };
    }

    public static IIntegrationEvent EventOf(SubmitRequest request) => request.EventCase switch
    {
        SubmitRequest.EventOneofCase.Application => request.Application,
        SubmitRequest.EventOneofCase.Transaction => request.Transaction,
        SubmitRequest.EventOneofCase.Repayment => request.Repayment,
        SubmitRequest.EventOneofCase.Outcome => request.Outcome,
        _ => throw new ArgumentException("no event", nameof(request)),
    };
}
