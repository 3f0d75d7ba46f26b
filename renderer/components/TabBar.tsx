export interface TabBarProps {
  tabs: { id: string; title: string; path: string }[];
  activeId: string | null;
  onActivate(id: string): void;
  onClose(id: string): void;
}

/** Open documents as tabs; middle click or × closes. */
export function TabBar({ tabs, activeId, onActivate, onClose }: TabBarProps) {
  return (
    <div className="tab-bar" role="tablist" aria-label="Open documents">
      {tabs.map((tab) => (
        <div
          key={tab.id}
          role="tab"
          tabIndex={0}
          aria-selected={tab.id === activeId}
          className={`tab${tab.id === activeId ? ' active' : ''}`}
          title={tab.path || tab.title}
          onClick={() => onActivate(tab.id)}
          onAuxClick={(e) => e.button === 1 && onClose(tab.id)}
          onKeyDown={(e) => e.key === 'Enter' && onActivate(tab.id)}
        >
          <span className="tab-title">{tab.title}</span>
          <button type="button" className="tab-close" aria-label={`Close ${tab.title}`} onClick={(e) => (e.stopPropagation(), onClose(tab.id))}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
