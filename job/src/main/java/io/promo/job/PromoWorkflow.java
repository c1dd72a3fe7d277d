package io.promo.job;

import io.promo.flow.CampaignRegistry;
import io.promo.flow.CampaignUpdate;
import io.promo.flow.Campaigns;
import io.promo.flow.CodeBatch;
import io.promo.flow.CodeRegistry;
import io.promo.flow.CommandRouter;
import io.promo.flow.ControlGate;
import io.promo.flow.DeliveryScheduler;
import io.promo.flow.EventRecord;
import io.promo.flow.EventSorter;
import io.promo.flow.EventWatermarks;
import io.promo.flow.Ledger;
import io.promo.flow.LedgerInput;
import io.promo.flow.ListChange;
import io.promo.flow.ListFanout;
import io.promo.flow.Qualification;
import io.promo.flow.StatusAggregator;
import io.promo.flow.Tags;
import io.promo.flow.UserEvaluator;
import io.promo.flow.UserInput;
import io.promo.model.Alert;
import io.promo.model.CampaignStats;
import io.promo.model.CampaignStatus;
import io.promo.model.Command;
import io.promo.model.DeadLetter;
import io.promo.model.Event;
import io.promo.model.Grant;
import io.promo.serde.EventTypeInfoFactory;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The job graph, with no I/O of its own: {@code main}, the integration tests and the benchmark
 * all call {@link #define}. See docs/architecture.md for why it has this shape.
 */
public final class PromoWorkflow {
  private PromoWorkflow() {}

  private static long retention(JobConfig cfg) {
    return cfg.get("state.retention").isEmpty() ? 0 : cfg.duration("state.retention").toMillis();
  }

  /** Wires the whole job between the given sources and sinks. */
  public static void define(StreamExecutionEnvironment env, Io io, JobConfig cfg) {
    define(env, io, cfg, System::currentTimeMillis);
  }

  public static void define(StreamExecutionEnvironment env, Io io, JobConfig cfg, EventWatermarks.SerializableClock clock) {
    Duration outOfOrder = cfg.duration("out-of-orderness");
    Duration quietAfter = cfg.duration("quiet-after");

    // ---- events: validate, dead-letter the rest ------------------------------------------------
    EventWatermarks eventTime = new EventWatermarks(outOfOrder, quietAfter, cfg.duration("idle-timeout"), clock, io.eventsEnd());
    SingleOutputStreamOperator<Event> events =
        env.fromSource(io.events(), eventTime, "Events source")
            .uid("events-source")
            .process(eventTime.gate())
            .returns(EventTypeInfoFactory.TYPE)
            .uid("event-gate")
            .name("Validate events");
    // Chained to the gate: each source subtask's events leave in time order (see EventSorter).
    SingleOutputStreamOperator<Event> ordered =
        events.transform("Order events by time", EventTypeInfoFactory.TYPE, new EventSorter())
            .uid("event-sorter");

    // ---- control: one reader, held until caught up, then routed by command kind -----------------
    SingleOutputStreamOperator<Command> commands =
        env.fromSource(io.control(), WatermarkStrategy.noWatermarks(), "Control source")
            .uid("control-source")
            .setParallelism(1)
            .transform("Wait for the control log", TypeInformation.of(Command.class),
                new ControlGate(io.controlEnd(), cfg.duration("control.catch-up.max").toMillis()))
            .uid("control-gate")
            .setParallelism(1)
            .process(new CommandRouter())
            .uid("command-router")
            .name("Route commands")
            .setParallelism(1);

    SingleOutputStreamOperator<CampaignUpdate> registry =
        commands.keyBy(Command::campaignId)
            .process(new CampaignRegistry())
            .uid("campaign-registry")
            .name("Campaign registry");
    BroadcastStream<CampaignUpdate> campaigns = registry.broadcast(Campaigns.STATE);

    SingleOutputStreamOperator<CodeBatch> codes =
        commands.getSideOutput(Tags.CODE_COMMANDS)
            .keyBy(CodeRegistry::keyOf)
            .process(new CodeRegistry())
            .uid("code-registry")
            .name("Code registry (no code in two series)");

    SingleOutputStreamOperator<ListChange> lists =
        commands.getSideOutput(Tags.LIST_COMMANDS)
            .keyBy(Command::list)
            .process(new ListFanout())
            .uid("list-fanout")
            .name("List changes per user");

    // ---- per user: judge events against the campaigns -----------------------------------------
    DataStream<UserInput> userInputs =
        ordered.map(UserInput::of).returns(UserInput.class).uid("events-as-user-input").name("Event → user input")
            .union(lists.map(UserInput::of).returns(UserInput.class).uid("lists-as-user-input").name("List change → user input"));
    SingleOutputStreamOperator<Qualification> qualifications =
        userInputs.keyBy(UserInput::userId)
            .connect(campaigns)
            .process(new UserEvaluator(cfg.duration("dedupe-horizon").toMillis(), retention(cfg)))
            .uid("user-evaluator")
            .name("Evaluate users");

    // ---- per campaign or series: limits, inventory, grant ids ---------------------------------
    DataStream<LedgerInput> ledgerInputs =
        qualifications.map(q -> new LedgerInput(q, null)).returns(LedgerInput.class).uid("qualification-to-ledger").name("Qualification → ledger")
            .union(codes.map(b -> new LedgerInput(null, b)).returns(LedgerInput.class).uid("codes-to-ledger").name("Codes → ledger"));
    SingleOutputStreamOperator<Grant> settled =
        ledgerInputs.keyBy(LedgerInput::key)
            .connect(campaigns)
            .process(new Ledger(cfg.duration("status.interval").toMillis()))
            .uid("ledger")
            .name("Ledger (limits, codes)");

    SingleOutputStreamOperator<Grant> grants =
        settled.keyBy(Grant::userId)
            .process(new DeliveryScheduler(clock))
            .uid("delivery")
            .name("Deliver when due");

    SingleOutputStreamOperator<CampaignStatus> status =
        registry.getSideOutput(Tags.STATUS).keyBy(CampaignStatus::id)
            .connect(settled.getSideOutput(Tags.STATS).keyBy(CampaignStats::campaignId))
            .process(new StatusAggregator(clock))
            .uid("campaign-status")
            .name("Campaign status");

    // ---- outputs -------------------------------------------------------------------------------
    DataStream<DeadLetter> deadLetters =
        events.getSideOutput(Tags.DEAD_LETTERS).union(commands.getSideOutput(Tags.DEAD_LETTERS));
    DataStream<Alert> alerts =
        commands.getSideOutput(Tags.ALERTS)
            .union(registry.getSideOutput(Tags.ALERTS))
            .union(codes.getSideOutput(Tags.ALERTS))
            .union(settled.getSideOutput(Tags.ALERTS));

    grants.sinkTo(io.grants()).uid("grants-sink").name("Grants");
    settled.getSideOutput(Tags.REJECTIONS).sinkTo(io.rejections()).uid("rejections-sink").name("Rejections");
    alerts.sinkTo(io.alerts()).uid("alerts-sink").name("Alerts");
    status.sinkTo(io.status()).uid("status-sink").name("Campaign status sink");
    deadLetters.sinkTo(io.deadLetters()).uid("dead-letters-sink").name("Dead letters");
  }
}
