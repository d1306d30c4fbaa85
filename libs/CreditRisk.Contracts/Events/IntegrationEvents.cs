namespace CreditRisk.Contracts.Events.V1;

// The generated event classes are partial; these declarations mark them as integration events
// (their generated Envelope property implements the interface).
public sealed partial class LoanApplicationSubmitted : IIntegrationEvent;

public sealed partial class TransactionRecorded : IIntegrationEvent;

public sealed partial class RepaymentRecorded : IIntegrationEvent;

public sealed partial class LoanOutcomeRecorded : IIntegrationEvent;

public sealed partial class FeatureVectorUpdated : IIntegrationEvent;

public sealed partial class PredictionLogged : IIntegrationEvent;

public sealed partial class ModelVersionRegistered : IIntegrationEvent;

public sealed partial class ModelVersionPromoted : IIntegrationEvent;

public sealed partial class ServingExperimentChanged : IIntegrationEvent;

public sealed partial class DriftReportPublished : IIntegrationEvent;

public sealed partial class RetrainRequested : IIntegrationEvent;
