export default function RewardsPage() {
  return (
    <div className="page">
      <h1>RewardsPage</h1>
      <p className="empty">This page is being built.</p>
    </div>
  );
}
