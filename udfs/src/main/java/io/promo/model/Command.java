package io.promo.model;

import java.util.List;

/**
 * A command from {@code promo.control}, flattened: only the fields of its {@code type} are set.
 * {@code errors} lists what is wrong with it as read (a command with errors changes nothing).
 *
 * @param at when the command takes effect: its {@code at}, else its Kafka record timestamp
 * @param campaignJson the campaign definition of an upsert, as canonical JSON text
 * @param raw the record as received, kept only when it was unreadable (for the dead letter)
 */
public record Command(
    String type,
    String commandId,
    String actor,
    long at,
    String campaignId,
    String campaignJson,
    String series,
    String partner,
    List<String> codes,
    Long expiresAt,
    String list,
    List<String> userIds,
    List<String> errors,
    String topic,
    int partition,
    long offset,
    String raw) {

  public static final String UPSERT = "campaign.upsert";
  public static final String PUBLISH = "campaign.publish";
  public static final String PAUSE = "campaign.pause";
  public static final String RESUME = "campaign.resume";
  public static final String STOP = "campaign.stop";
  public static final String ARCHIVE = "campaign.archive";
  public static final String CODES_UPLOAD = "codes.upload";
  public static final String LIST_ADD = "list.add";
  public static final String LIST_REMOVE = "list.remove";

  public boolean valid() {
    return errors.isEmpty();
  }

  public boolean isCampaignCommand() {
    return type != null && type.startsWith("campaign.");
  }

  public Command rejected(List<String> why) {
    return new Command(type, commandId, actor, at, campaignId, campaignJson, series, partner, codes, expiresAt,
        list, userIds, List.copyOf(why), topic, partition, offset, raw);
  }
}
