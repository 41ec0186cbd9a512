export default function ApiPlatform() {
  return (
    <div className="page">
      <h1>ApiPlatform</h1>
      <p className="empty">This page is being built.</p>
    </div>
  );
}
