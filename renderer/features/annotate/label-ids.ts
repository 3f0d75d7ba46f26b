/** A fresh id for a label made by hand (no ':' so it never looks like a detector's suggestion id). */
export function newLabelId(): string {
  return `l-${crypto.randomUUID().slice(0, 13)}`;
}
