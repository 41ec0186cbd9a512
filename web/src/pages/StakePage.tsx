export default function StakePage() {
  return (
    <div className="page">
      <h1>StakePage</h1>
      <p className="empty">This page is being built.</p>
    </div>
  );
}
